using AspireTickets.Domain.Events;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;
using Microsoft.Data.Sqlite;

namespace AspireTickets.Infrastructure.Storage.Sqlite;

/// <summary>
/// The embedded ticket store: one SQLite file (<c>tickets.db</c>) in the data directory. Writes are serialized
/// in-process by one semaphore (SQLite allows one writer at a time; queuing here instead of in SQLite's busy
/// handler keeps latency fair and avoids SQLITE_BUSY); reads use pooled connections and, thanks to WAL, never
/// wait for the writer.
/// </summary>
public sealed class SqliteTicketStore : ITicketStore, ITicketStoreSchema, IDisposable
{
    public const string FileName = "tickets.db";

    /// <summary>Tickets per transaction in <see cref="CreateManyAsync"/>: big enough to amortize the commit, small enough to keep the writer lock short.</summary>
    internal const int BulkBatchSize = 1000;

    /// <summary>Most single creates one group commit writes: enough for any realistic burst, short enough for latency.</summary>
    internal const int MaxGroupSize = 256;

    private const int BusyTimeoutMilliseconds = 5000;

    // WAL: readers and the writer do not block each other. synchronous=NORMAL: with WAL, a commit is an append to
    // the WAL file and fsync happens only at checkpoints, so a killed *process* loses nothing (the OS has the
    // pages); only a power cut or OS crash may lose the last commits, and never corrupts the file. FULL would pay
    // one fsync per commit (milliseconds on this kind of disk) for that last case. The 32 MB page cache keeps the
    // indexes of a large queue in memory while bulk loads update them.
    private const string ConnectionPragmas =
        "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -32768;";

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly PendingCreates _pending = new();
    private readonly SemaphoreSlim _schemaLock = new(1, 1);
    private volatile bool _schemaCreated;

    public SqliteTicketStore(string dataDirectory, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        DatabasePath = Path.GetFullPath(Path.Combine(dataDirectory, FileName));
        _time = timeProvider ?? TimeProvider.System;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ToString();
    }

    public string DatabasePath { get; }

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        if (_schemaCreated)
        {
            return;
        }
        await _schemaLock.WaitAsync(cancellationToken);
        try
        {
            if (_schemaCreated)
            {
                return;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
            await using var connection = await OpenAsync(cancellationToken);
            await using (var wal = connection.CreateCommand())
            {
                // Persistent in the file: set once, holds for every later connection.
                wal.CommandText = "PRAGMA journal_mode = WAL;";
                await wal.ExecuteNonQueryAsync(cancellationToken);
            }
            await using var transaction = connection.BeginTransaction(deferred: false);
            await using (var schema = connection.CreateCommand())
            {
                schema.Transaction = transaction;
                schema.CommandText = "PRAGMA user_version;";
                var version = Convert.ToInt32(await schema.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
                if (version > SqliteSchema.Version)
                {
                    throw new InvalidOperationException($"{DatabasePath} has schema version {version}, newer than this build's {SqliteSchema.Version}.");
                }
                var upgrade = version == 1;
                schema.CommandText = upgrade ? SqliteSchema.DropVersion1 + SqliteSchema.Script + SqliteSchema.RebuildSearch : SqliteSchema.Script;
                await schema.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            _schemaCreated = true;
        }
        finally
        {
            _schemaLock.Release();
        }
    }

    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM pragma_user_version WHERE user_version = " + SqliteSchema.Version + ";";
        if (await command.ExecuteScalarAsync(cancellationToken) is not 1L)
        {
            throw new InvalidOperationException($"{DatabasePath} does not have schema version {SqliteSchema.Version}.");
        }
    }

    /// <summary>
    /// Group commit: creates that arrive while another write holds the writer lock wait in a queue, and whoever gets
    /// the lock next writes all of them in one transaction. Concurrent webhooks then share one commit (one set of
    /// index pages and one WAL append) instead of paying one each; a lone create is still one short transaction.
    /// </summary>
    public async Task<CreateTicketResult> CreateAsync(Ticket ticket, TicketChanges changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(changes);
        await EnsureCreatedAsync(cancellationToken);

        var create = new PendingCreate(ticket, changes);
        lock (_pending)
        {
            _pending.Enqueue(create);
        }
        try
        {
            await _writer.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (_pending)
            {
                if (!create.Taken)
                {
                    // Not written and never will be: take it out so that no later group stores it.
                    _pending.Remove(create);
                    throw;
                }
            }
            // A group already holds it: it is (being) stored, so its result is the truthful answer.
            return await create.Completion.Task;
        }
        try
        {
            // Groups are written in arrival order until this create's group is done (it may be behind a full group).
            while (!create.Taken)
            {
                List<PendingCreate> group;
                lock (_pending)
                {
                    group = _pending.TakeGroup(MaxGroupSize);
                }
                await WriteGroupAsync(group);
            }
        }
        finally
        {
            _writer.Release();
        }
        return await create.Completion.Task;
    }

    // The group is written without a caller's cancellation token: it carries other callers' tickets too.
    private async Task WriteGroupAsync(List<PendingCreate> group)
    {
        try
        {
            var results = await CreateBatchLockedAsync([.. group.Select(c => (c.Ticket, c.Changes))], CancellationToken.None);
            for (var i = 0; i < group.Count; i++)
            {
                group[i].Completion.SetResult(results[i]);
            }
        }
        catch (Exception) when (group.Count > 1)
        {
            // One bad ticket must not fail its neighbours: write them one by one so that only it fails.
            foreach (var create in group)
            {
                await WriteGroupAsync([create]);
            }
        }
        catch (Exception e)
        {
            group[0].Completion.SetException(e);
        }
    }

    public async Task<IReadOnlyList<CreateTicketResult>> CreateManyAsync(
        IReadOnlyList<(Ticket Ticket, TicketChanges Changes)> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var results = new List<CreateTicketResult>(items.Count);
        for (var start = 0; start < items.Count; start += BulkBatchSize)
        {
            var batch = new List<(Ticket, TicketChanges)>(Math.Min(BulkBatchSize, items.Count - start));
            for (var i = start; i < Math.Min(items.Count, start + BulkBatchSize); i++)
            {
                batch.Add(items[i]);
            }
            results.AddRange(await CreateBatchAsync(batch, cancellationToken));
        }
        return results;
    }

    public async Task UpdateAsync(Ticket ticket, long expectedVersion, TicketChanges changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(changes);
        var previousVersion = ticket.Version;
        try
        {
            await WriteAsync(writer =>
            {
                writer.Update(ticket, expectedVersion);
                writer.WriteChanges(changes);
            }, cancellationToken);
        }
        catch
        {
            ticket.Version = previousVersion; // rolled back
            throw;
        }
    }

    public async Task<Ticket?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        await ReadTicketAsync("SELECT json, version FROM tickets WHERE id = @key;", SqliteTicketWriter.Id(id), cancellationToken);

    public async Task<Ticket?> FindBySourceKeyAsync(string sourceKey, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(sourceKey))
        {
            return null;
        }
        return await ReadTicketAsync("SELECT json, version FROM tickets WHERE source_key = @key;", sourceKey, cancellationToken);
    }

    public async Task<TicketPage> QueryAsync(TicketQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = SqliteTicketQueryBuilder.Build(query);
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql.Sql;
        foreach (var (name, value) in sql.Parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken);
        var items = new List<Ticket>(query.PageSize);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(TicketJson.DeserializeTicket(reader.GetString(0), reader.GetInt64(1)));
        }
        return new TicketPage(items, total, query.Page, query.PageSize);
    }

    public async Task<IReadOnlyList<AuditEntry>> GetAuditTrailAsync(Guid ticketId, CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT id, ticket_id, at, actor, field, old_value, new_value, reason FROM audit WHERE ticket_id = @ticket_id ORDER BY seq;";
        command.Parameters.AddWithValue("@ticket_id", SqliteTicketWriter.Id(ticketId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AuditEntry
            {
                Id = Guid.Parse(reader.GetString(0)),
                TicketId = Guid.Parse(reader.GetString(1)),
                At = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                Actor = reader.GetString(3),
                Field = reader.GetString(4),
                OldValue = reader.IsDBNull(5) ? null : reader.GetString(5),
                NewValue = reader.IsDBNull(6) ? null : reader.GetString(6),
                Reason = reader.IsDBNull(7) ? null : reader.GetString(7),
            });
        }
        return entries;
    }

    public async Task<IReadOnlyList<TicketFacts>> GetFactsAsync(DateTimeOffset? createdFrom, DateTimeOffset? createdTo, CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT id, status, priority, category, created_at, first_response_at, resolved_at, first_response_due_at, resolution_due_at " +
            "FROM tickets WHERE is_archived = 0 AND created_at >= @from AND created_at < @to ORDER BY created_at, id;";
        command.Parameters.AddWithValue("@from", createdFrom?.ToUnixTimeMilliseconds() ?? long.MinValue);
        command.Parameters.AddWithValue("@to", createdTo?.ToUnixTimeMilliseconds() ?? long.MaxValue);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var facts = new List<TicketFacts>();
        while (await reader.ReadAsync(cancellationToken))
        {
            facts.Add(new TicketFacts(
                Guid.Parse(reader.GetString(0)),
                (TicketStatus)reader.GetInt32(1),
                (TicketPriority)reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                Time(reader, 5),
                Time(reader, 6),
                Time(reader, 7),
                Time(reader, 8)));
        }
        return facts;

        static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) =>
            reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
    }

    public async Task<IReadOnlyList<TicketEvent>> GetUnpublishedEventsAsync(int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT json FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT @max;";
        command.Parameters.AddWithValue("@max", max);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<TicketEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(TicketJson.DeserializeEvent(reader.GetString(0)));
        }
        return events;
    }

    public async Task MarkEventsPublishedAsync(IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        if (eventIds.Count == 0)
        {
            return;
        }
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await EnsureCreatedAsync(cancellationToken);
        await _writer.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "UPDATE outbox SET published_at = @now WHERE id = @id AND published_at IS NULL;";
            command.Parameters.AddWithValue("@now", now);
            var id = command.Parameters.Add(new SqliteParameter("@id", null));
            foreach (var eventId in eventIds)
            {
                id.Value = SqliteTicketWriter.Id(eventId);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            _writer.Release();
        }
    }

    public void Dispose()
    {
        _writer.Dispose();
        _schemaLock.Dispose();
    }

    private Task<IReadOnlyList<CreateTicketResult>> CreateBatchAsync(IReadOnlyList<(Ticket Ticket, TicketChanges Changes)> batch, CancellationToken cancellationToken) =>
        CreateBatchAsync(batch, WriteAsync, cancellationToken);

    /// <summary>For callers that already hold the writer lock.</summary>
    private Task<IReadOnlyList<CreateTicketResult>> CreateBatchLockedAsync(IReadOnlyList<(Ticket Ticket, TicketChanges Changes)> batch, CancellationToken cancellationToken) =>
        CreateBatchAsync(batch, WriteLockedAsync, cancellationToken);

    private static async Task<IReadOnlyList<CreateTicketResult>> CreateBatchAsync(
        IReadOnlyList<(Ticket Ticket, TicketChanges Changes)> batch,
        Func<Action<SqliteTicketWriter>, CancellationToken, Task> write,
        CancellationToken cancellationToken)
    {
        var results = new CreateTicketResult[batch.Count];
        var previousVersions = batch.Select(item => item.Ticket.Version).ToArray();
        try
        {
            await WriteBatchAsync();
        }
        catch
        {
            // Rolled back: none of the batch is stored, so none of it has a stored version.
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Ticket.Version = previousVersions[i];
            }
            throw;
        }
        return results;

        Task WriteBatchAsync() => write(writer =>
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var (ticket, changes) = batch[i];
                if (writer.TryInsert(ticket))
                {
                    writer.WriteChanges(changes);
                    results[i] = new CreateTicketResult(ticket, Created: true);
                }
                else
                {
                    // The unique source key made the insert a no-op: the stored ticket is the answer, and neither
                    // audit nor events of the re-delivery are written.
                    var existing = writer.FindBySourceKey(TicketIndexValues.SourceKey(ticket)!)
                        ?? throw new InvalidOperationException($"Ticket with source key '{ticket.SourceKey}' conflicted but cannot be read.");
                    results[i] = new CreateTicketResult(existing, Created: false);
                }
            }
        }, cancellationToken);
    }

    /// <summary>Runs <paramref name="write"/> in one IMMEDIATE transaction under the writer lock.</summary>
    private async Task WriteAsync(Action<SqliteTicketWriter> write, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await _writer.WaitAsync(cancellationToken);
        try
        {
            await WriteLockedAsync(write, cancellationToken);
        }
        finally
        {
            _writer.Release();
        }
    }

    private async Task WriteLockedAsync(Action<SqliteTicketWriter> write, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // deferred: false → BEGIN IMMEDIATE: the write lock is taken up front, so another process's writer
        // makes this wait (busy timeout) instead of failing on a read-to-write upgrade.
        await using var transaction = connection.BeginTransaction(deferred: false);
        using (var writer = new SqliteTicketWriter(connection, transaction))
        {
            write(writer);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<Ticket?> ReadTicketAsync(string sql, string key, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? TicketJson.DeserializeTicket(reader.GetString(0), reader.GetInt64(1)) : null;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragmas = connection.CreateCommand();
            pragmas.CommandText = ConnectionPragmas;
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
