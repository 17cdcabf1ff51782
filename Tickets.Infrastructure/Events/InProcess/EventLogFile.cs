using AspireTickets.Domain.Events;
using Microsoft.Data.Sqlite;

namespace AspireTickets.Infrastructure.Events.InProcess;

/// <summary>
/// The disk side of <see cref="InProcessEventLog"/>: <c>events.db</c> in the data folder, its own file so appends
/// never queue behind ticket or document writes. Events are rows keyed by (partition, offset); each consumer
/// group's committed offset per partition is a row of <c>positions</c>. One connection, used under a lock: the
/// log serialises appends anyway and position saves are few.
/// <para>
/// <c>synchronous=FULL</c>: an append is on disk before <see cref="InProcessEventLog.PublishAsync"/> returns and
/// the outbox marks the events published, so neither a killed process nor a power cut loses them. Appends are
/// batched (one transaction per publish), so the sync costs one flush per batch, not per event.
/// </para>
/// </summary>
internal sealed class EventLogFile : IDisposable
{
    public const string FileName = "events.db";

    private readonly object _lock = new();
    private readonly SqliteConnection _connection;
    private bool _disposed;

    public EventLogFile(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, FileName),
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        _connection.Open();
        Execute("""
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=FULL;
            PRAGMA busy_timeout=30000;
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS events (
                part INTEGER NOT NULL,
                pos INTEGER NOT NULL,
                target_group TEXT NULL,
                json TEXT NOT NULL,
                PRIMARY KEY (part, pos)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS positions (
                grp TEXT NOT NULL,
                part INTEGER NOT NULL,
                committed INTEGER NOT NULL,
                seen_at INTEGER NOT NULL,
                PRIMARY KEY (grp, part)
            ) WITHOUT ROWID;
            """);
    }

    /// <summary>
    /// Reads what the log holds. The partition count is the stored one while events are retained (changing it
    /// then would move tickets to other partitions and break their order); an empty log adopts
    /// <paramref name="configuredPartitions"/> and forgets the old positions, which no longer mean anything.
    /// </summary>
    public StoredLog Load(int configuredPartitions)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var stored = Scalar("SELECT value FROM meta WHERE key = 'partitions'");
            var anyEvents = Scalar("SELECT EXISTS (SELECT 1 FROM events)") == 1;
            var partitions = configuredPartitions;
            if (stored is { } count && count != configuredPartitions)
            {
                if (anyEvents)
                {
                    partitions = (int)count;
                }
                else
                {
                    Execute("DELETE FROM positions");
                }
            }
            if (stored != partitions)
            {
                using var command = _connection.CreateCommand();
                command.CommandText = "INSERT OR REPLACE INTO meta (key, value) VALUES ('partitions', $value)";
                command.Parameters.AddWithValue("$value", partitions);
                command.ExecuteNonQuery();
            }

            var events = new List<StoredEntry>();
            using (var command = _connection.CreateCommand())
            {
                command.CommandText = "SELECT part, pos, target_group, json FROM events ORDER BY part, pos";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var ticketEvent = EventJson.Deserialize(reader.GetString(3))
                        ?? throw new InvalidDataException($"Event at partition {reader.GetInt32(0)} offset {reader.GetInt64(1)} of {FileName} is empty.");
                    events.Add(new StoredEntry(reader.GetInt32(0), reader.GetInt64(1), new InProcessEventLog.Entry(ticketEvent, reader.IsDBNull(2) ? null : reader.GetString(2))));
                }
            }

            var groups = new Dictionary<string, StoredGroup>(StringComparer.Ordinal);
            using (var command = _connection.CreateCommand())
            {
                command.CommandText = "SELECT grp, part, committed, seen_at FROM positions WHERE part < $partitions";
                command.Parameters.AddWithValue("$partitions", partitions);
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var name = reader.GetString(0);
                    if (!groups.TryGetValue(name, out var group))
                    {
                        group = new StoredGroup(new long?[partitions], DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));
                        groups.Add(name, group);
                    }
                    group.Committed[reader.GetInt32(1)] = reader.GetInt64(2);
                }
            }
            return new StoredLog(partitions, events, groups);
        }
    }

    /// <summary>Appends the entries in one transaction; on return they are on disk.</summary>
    public void Append(IReadOnlyList<StoredEntry> entries)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _connection.BeginTransaction();
            using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO events (part, pos, target_group, json) VALUES ($part, $pos, $target, $json)";
            var part = command.Parameters.Add("$part", SqliteType.Integer);
            var pos = command.Parameters.Add("$pos", SqliteType.Integer);
            var target = command.Parameters.Add("$target", SqliteType.Text);
            var json = command.Parameters.Add("$json", SqliteType.Text);
            command.Prepare();
            foreach (var entry in entries)
            {
                part.Value = entry.Partition;
                pos.Value = entry.Offset;
                target.Value = (object?)entry.Entry.TargetGroup ?? DBNull.Value;
                json.Value = EventJson.Serialize(entry.Entry.Event);
                command.ExecuteNonQuery();
            }
            transaction.Commit();
        }
    }

    /// <summary>
    /// In one transaction: saves the groups' committed offsets, forgets expired groups and deletes the events
    /// below <paramref name="pruneBelow"/> (per partition; every known group has committed them).
    /// </summary>
    public void SavePositions(IReadOnlyList<GroupPositions> groups, IReadOnlyList<string> forget, long[] pruneBelow)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _connection.BeginTransaction();
            using (var upsert = _connection.CreateCommand())
            {
                upsert.Transaction = transaction;
                upsert.CommandText = "INSERT OR REPLACE INTO positions (grp, part, committed, seen_at) VALUES ($grp, $part, $committed, $seen)";
                var grp = upsert.Parameters.Add("$grp", SqliteType.Text);
                var part = upsert.Parameters.Add("$part", SqliteType.Integer);
                var committed = upsert.Parameters.Add("$committed", SqliteType.Integer);
                var seen = upsert.Parameters.Add("$seen", SqliteType.Integer);
                foreach (var group in groups)
                {
                    for (var p = 0; p < group.Committed.Length; p++)
                    {
                        grp.Value = group.Name;
                        part.Value = p;
                        committed.Value = group.Committed[p];
                        seen.Value = group.SeenAt.ToUnixTimeMilliseconds();
                        upsert.ExecuteNonQuery();
                    }
                }
            }
            using (var delete = _connection.CreateCommand())
            {
                delete.Transaction = transaction;
                delete.CommandText = "DELETE FROM positions WHERE grp = $grp";
                var grp = delete.Parameters.Add("$grp", SqliteType.Text);
                foreach (var name in forget)
                {
                    grp.Value = name;
                    delete.ExecuteNonQuery();
                }
            }
            using (var prune = _connection.CreateCommand())
            {
                prune.Transaction = transaction;
                prune.CommandText = "DELETE FROM events WHERE part = $part AND pos < $below";
                var part = prune.Parameters.Add("$part", SqliteType.Integer);
                var below = prune.Parameters.Add("$below", SqliteType.Integer);
                for (var p = 0; p < pruneBelow.Length; p++)
                {
                    if (pruneBelow[p] > 0)
                    {
                        part.Value = p;
                        below.Value = pruneBelow[p];
                        prune.ExecuteNonQuery();
                    }
                }
            }
            transaction.Commit();
        }
    }

    /// <summary>Events on disk (for tests and diagnostics).</summary>
    public long CountEvents()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Scalar("SELECT COUNT(*) FROM events") ?? 0;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _connection.Dispose();
        }
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private long? Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() is long value ? value : null;
    }
}

internal readonly record struct StoredEntry(int Partition, long Offset, InProcessEventLog.Entry Entry);

internal sealed record StoredGroup(long?[] Committed, DateTimeOffset SeenAt);

internal sealed record StoredLog(int Partitions, IReadOnlyList<StoredEntry> Events, IReadOnlyDictionary<string, StoredGroup> Groups);

internal sealed record GroupPositions(string Name, long[] Committed, DateTimeOffset SeenAt);
