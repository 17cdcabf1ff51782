using AspireTickets.Domain.Events;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using MongoDB.Driver;
using static AspireTickets.Infrastructure.Storage.Mongo.MongoTicketDocuments;
using F = AspireTickets.Infrastructure.Storage.Mongo.MongoTicketDocuments.Fields;

namespace AspireTickets.Infrastructure.Storage.Mongo;

/// <summary>
/// The distributed ticket store (connection <c>tickets</c>): collections <c>tickets</c>, <c>audit</c>, <c>outbox</c>.
/// </summary>
/// <remarks>
/// A write must store the ticket, its audit entries and its events all or nothing. Two ways, chosen at start:
/// <list type="bullet">
/// <item>Replica set or sharded cluster: a multi-document transaction writes the three collections at once.</item>
/// <item>Standalone server (no transactions): the ticket document is written together with its new audit entries
/// and events embedded under <c>pending</c>. A single-document write is atomic, so the ticket is never stored
/// without them, nor they without it. They are then copied into <c>audit</c>/<c>outbox</c> under their own ids
/// (a duplicate id means "already copied", so copying is idempotent) and only then pulled from <c>pending</c>,
/// by id, so entries a later write appended stay. If the process dies in between, whatever is still pending is
/// copied by the next outbox poll (<see cref="GetUnpublishedEventsAsync"/>) or audit read: at-least-once, and
/// never a half-written ticket. Bulk loads always take this path (per-ticket atomicity, one round trip per batch).</item>
/// </list>
/// </remarks>
public sealed partial class MongoTicketStore : ITicketStore, ITicketStoreSchema, IDisposable
{
    internal const int BulkBatchSize = 1000;
    private const int PendingSweepLimit = 500;

    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;
    private static readonly ProjectionDefinition<BsonDocument> TicketProjection =
        Builders<BsonDocument>.Projection.Include(F.Ticket).Include(F.Version);

    private readonly IMongoDatabase _database;
    private readonly IMongoCollection<BsonDocument> _tickets;
    private readonly IMongoCollection<BsonDocument> _audit;
    private readonly IMongoCollection<BsonDocument> _outbox;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _schemaLock = new(1, 1);
    private volatile bool _schemaCreated;
    private bool _useTransactions;

    public MongoTicketStore(IMongoDatabase database, TimeProvider? timeProvider = null, ILogger<MongoTicketStore>? logger = null)
    {
        _database = database ?? throw new ArgumentNullException(nameof(database));
        _tickets = database.GetCollection<BsonDocument>(TicketsCollection);
        _audit = database.GetCollection<BsonDocument>(AuditCollection);
        _outbox = database.GetCollection<BsonDocument>(OutboxCollection);
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Whether writes use multi-document transactions (known after <see cref="EnsureCreatedAsync"/>).</summary>
    public bool UsesTransactions => _useTransactions;

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
            var hello = await _database.RunCommandAsync<BsonDocument>(new BsonDocument("hello", 1), cancellationToken: cancellationToken);
            _useTransactions = hello.Contains("setName") || hello.GetValue("msg", BsonString.Empty) == "isdbgrid";

            await _tickets.Indexes.CreateManyAsync(MongoTicketIndexes.Tickets(), cancellationToken);
            await _audit.Indexes.CreateManyAsync(MongoTicketIndexes.Audit(), cancellationToken);
            await _outbox.Indexes.CreateManyAsync(MongoTicketIndexes.Outbox(), cancellationToken);
            _schemaCreated = true;
        }
        finally
        {
            _schemaLock.Release();
        }
    }

    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        await _database.RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: cancellationToken);
        await EnsureCreatedAsync(cancellationToken);
    }

    public async Task<CreateTicketResult> CreateAsync(Ticket ticket, TicketChanges changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(changes);
        await EnsureCreatedAsync(cancellationToken);

        var previousVersion = ticket.Version;
        ticket.Version = 1;
        var audit = AuditDocuments(changes.Audit, 1);
        var events = EventDocuments(changes.Events);
        try
        {
            if (_useTransactions)
            {
                await InTransactionAsync(async (session, ct) =>
                {
                    await _tickets.InsertOneAsync(session, NewTicket(ticket, pending: null), cancellationToken: ct);
                    await InsertAsync(session, _audit, audit, ct);
                    await InsertAsync(session, _outbox, events, ct);
                }, cancellationToken);
            }
            else
            {
                var changed = new PendingChanges(Id(ticket.Id), audit, events);
                await _tickets.InsertOneAsync(NewTicket(ticket, PendingOrNull(changed)), cancellationToken: cancellationToken);
                await TryFanOutAsync(changed.IsEmpty ? [] : [changed], cancellationToken);
            }
            return new CreateTicketResult(ticket, Created: true);
        }
        catch (Exception ex) when (IsDuplicateKey(ex) && TicketIndexValues.SourceKey(ticket) is not null)
        {
            ticket.Version = previousVersion;
            var existing = await FindBySourceKeyAsync(ticket.SourceKey, cancellationToken);
            if (existing is null)
            {
                throw; // The duplicate was the id, not the source key.
            }
            return new CreateTicketResult(existing, Created: false);
        }
        catch
        {
            ticket.Version = previousVersion;
            throw;
        }
    }

    public async Task<IReadOnlyList<CreateTicketResult>> CreateManyAsync(
        IReadOnlyList<(Ticket Ticket, TicketChanges Changes)> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        await EnsureCreatedAsync(cancellationToken);
        var results = new List<CreateTicketResult>(items.Count);
        foreach (var batch in items.Chunk(BulkBatchSize))
        {
            results.AddRange(await CreateBatchAsync(batch, cancellationToken));
        }
        return results;
    }

    public async Task UpdateAsync(Ticket ticket, long expectedVersion, TicketChanges changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(changes);
        await EnsureCreatedAsync(cancellationToken);

        var previousVersion = ticket.Version;
        var newVersion = expectedVersion + 1;
        ticket.Version = newVersion;
        var id = Id(ticket.Id);
        var filter = Filter.Eq(F.Id, id) & Filter.Eq(F.Version, expectedVersion);
        var audit = AuditDocuments(changes.Audit, newVersion);
        var events = EventDocuments(changes.Events);
        try
        {
            if (_useTransactions)
            {
                await InTransactionAsync(async (session, ct) =>
                {
                    var result = await _tickets.UpdateOneAsync(session, filter, new BsonDocument("$set", TicketFields(ticket, newVersion)), cancellationToken: ct);
                    if (result.MatchedCount == 0)
                    {
                        var exists = await _tickets.CountDocumentsAsync(session, Filter.Eq(F.Id, id), cancellationToken: ct) > 0;
                        throw exists ? new ConcurrencyConflictException(ticket.Id, expectedVersion) : new TicketNotFoundException(ticket.Id);
                    }
                    await InsertAsync(session, _audit, audit, ct);
                    await InsertAsync(session, _outbox, events, ct);
                }, cancellationToken);
            }
            else
            {
                // $push keeps what earlier writes left pending: a ticket is never rewritten without them.
                var update = new BsonDocument("$set", TicketFields(ticket, newVersion));
                if (audit.Count > 0 || events.Count > 0)
                {
                    update.Add("$push", new BsonDocument
                    {
                        { F.PendingAudit, new BsonDocument("$each", new BsonArray(audit)) },
                        { F.PendingEvents, new BsonDocument("$each", new BsonArray(events)) },
                    });
                }
                var result = await _tickets.UpdateOneAsync(filter, update, cancellationToken: cancellationToken);
                if (result.MatchedCount == 0)
                {
                    var exists = await _tickets.CountDocumentsAsync(Filter.Eq(F.Id, id), cancellationToken: cancellationToken) > 0;
                    throw exists ? new ConcurrencyConflictException(ticket.Id, expectedVersion) : new TicketNotFoundException(ticket.Id);
                }
                var changed = new PendingChanges(id, audit, events);
                await TryFanOutAsync(changed.IsEmpty ? [] : [changed], cancellationToken);
            }
        }
        catch
        {
            ticket.Version = previousVersion;
            throw;
        }
    }

    public async Task<Ticket?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        await FindOneAsync(Filter.Eq(F.Id, Id(id)), cancellationToken);

    public async Task<Ticket?> FindBySourceKeyAsync(string sourceKey, CancellationToken cancellationToken = default) =>
        string.IsNullOrWhiteSpace(sourceKey) ? null : await FindOneAsync(Filter.Eq(F.SourceKey, sourceKey), cancellationToken);

    public async Task<TicketPage> QueryAsync(TicketQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var mongoQuery = MongoTicketQueryBuilder.Build(query);
        await EnsureCreatedAsync(cancellationToken);

        var count = _tickets.CountDocumentsAsync(mongoQuery.Filter, cancellationToken: cancellationToken);
        var documents = await _tickets.Find(mongoQuery.Filter)
            .Sort(mongoQuery.Sort)
            .Skip(mongoQuery.Skip)
            .Limit(mongoQuery.Limit)
            .Project<BsonDocument>(TicketProjection)
            .ToListAsync(cancellationToken);
        return new TicketPage(documents.Select(ToTicket).ToList(), await count, query.Page, query.PageSize);
    }

    public async Task<IReadOnlyList<AuditEntry>> GetAuditTrailAsync(Guid ticketId, CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync(cancellationToken);
        var id = Id(ticketId);
        await CompletePendingAsync(Filter.Eq(F.Id, id), cancellationToken);
        var documents = await _audit.Find(Filter.Eq(F.TicketId, id))
            .Sort(Builders<BsonDocument>.Sort.Ascending(F.AuditVersion).Ascending(F.AuditIndex))
            .ToListAsync(cancellationToken);
        return documents.Select(ToAuditEntry).ToList();
    }

    public async Task<IReadOnlyList<TicketFacts>> GetFactsAsync(DateTimeOffset? createdFrom, DateTimeOffset? createdTo, CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync(cancellationToken);
        var filter = Filter.Eq(F.Archived, false);
        if (createdFrom is { } from)
        {
            filter &= Filter.Gte(F.CreatedAt, Date(from));
        }
        if (createdTo is { } to)
        {
            filter &= Filter.Lt(F.CreatedAt, Date(to));
        }
        var projection = Builders<BsonDocument>.Projection
            .Include(F.Status).Include(F.Priority).Include(F.Category).Include(F.CreatedAt)
            .Include(F.FirstResponseAt).Include(F.ResolvedAt).Include(F.FirstResponseDueAt).Include(F.ResolutionDueAt);
        var documents = await _tickets.Find(filter)
            .Sort(Builders<BsonDocument>.Sort.Ascending(F.CreatedAt).Ascending(F.Id))
            .Project<BsonDocument>(projection)
            .ToListAsync(cancellationToken);
        return documents.Select(ToFacts).ToList();
    }

    public async Task<IReadOnlyList<TicketEvent>> GetUnpublishedEventsAsync(int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        await EnsureCreatedAsync(cancellationToken);
        // The publisher polls here, so this is where events of writes interrupted before their fan-out surface.
        await CompletePendingAsync(Filter.Empty, cancellationToken);
        var documents = await _outbox.Find(Filter.Eq(F.Published, false))
            .Sort(Builders<BsonDocument>.Sort.Ascending(F.OccurredAt).Ascending(F.Id))
            .Limit(max)
            .ToListAsync(cancellationToken);
        return documents.Select(ToEvent).ToList();
    }

    public async Task MarkEventsPublishedAsync(IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        if (eventIds.Count == 0)
        {
            return;
        }
        await EnsureCreatedAsync(cancellationToken);
        var filter = Filter.In(F.Id, eventIds.Select(Id)) & Filter.Eq(F.Published, false);
        var update = Builders<BsonDocument>.Update.Set(F.Published, true).Set(F.PublishedAt, Date(_time.GetUtcNow()));
        await _outbox.UpdateManyAsync(filter, update, cancellationToken: cancellationToken);
    }

    public void Dispose() => _schemaLock.Dispose();

    private async Task<IReadOnlyList<CreateTicketResult>> CreateBatchAsync((Ticket Ticket, TicketChanges Changes)[] batch, CancellationToken cancellationToken)
    {
        var previousVersions = batch.Select(i => i.Ticket.Version).ToArray();
        var pending = new PendingChanges[batch.Length];
        var documents = new BsonDocument[batch.Length];
        for (var i = 0; i < batch.Length; i++)
        {
            var (ticket, changes) = batch[i];
            ticket.Version = 1;
            pending[i] = new PendingChanges(Id(ticket.Id), AuditDocuments(changes.Audit, 1), EventDocuments(changes.Events));
            documents[i] = NewTicket(ticket, PendingOrNull(pending[i]));
        }

        var failed = new HashSet<int>();
        try
        {
            await _tickets.InsertManyAsync(documents, new InsertManyOptions { IsOrdered = false }, cancellationToken);
        }
        catch (MongoBulkWriteException<BsonDocument> ex) when (ex.WriteConcernError is null && ex.WriteErrors.All(e => e.Category == ServerErrorCategory.DuplicateKey))
        {
            failed.UnionWith(ex.WriteErrors.Select(e => e.Index));
        }

        var results = new CreateTicketResult[batch.Length];
        for (var i = 0; i < batch.Length; i++)
        {
            var ticket = batch[i].Ticket;
            if (!failed.Contains(i))
            {
                results[i] = new CreateTicketResult(ticket, Created: true);
                continue;
            }
            ticket.Version = previousVersions[i];
            var existing = TicketIndexValues.SourceKey(ticket) is { } key ? await FindBySourceKeyAsync(key, cancellationToken) : null;
            results[i] = new CreateTicketResult(
                existing ?? throw new InvalidOperationException($"Ticket {ticket.Id} collides with a stored ticket id."),
                Created: false);
        }

        await TryFanOutAsync(pending.Where((p, i) => !failed.Contains(i) && !p.IsEmpty).ToList(), cancellationToken);
        return results;
    }

    private async Task<Ticket?> FindOneAsync(FilterDefinition<BsonDocument> filter, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        var document = await _tickets.Find(filter).Project<BsonDocument>(TicketProjection).FirstOrDefaultAsync(cancellationToken);
        return document is null ? null : ToTicket(document);
    }

    private async Task InTransactionAsync(Func<IClientSessionHandle, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        using var session = await _database.Client.StartSessionAsync(cancellationToken: cancellationToken);
        // WithTransactionAsync retries transient errors (a write conflict with a concurrent create of the same
        // source key becomes, on retry, the duplicate-key error the caller turns into "already exists").
        await session.WithTransactionAsync<bool>(async (s, ct) =>
        {
            await write(s, ct);
            return true;
        }, cancellationToken: cancellationToken);
    }

    private static async Task InsertAsync(IClientSessionHandle session, IMongoCollection<BsonDocument> collection, List<BsonDocument> documents, CancellationToken cancellationToken)
    {
        if (documents.Count > 0)
        {
            await collection.InsertManyAsync(session, documents, cancellationToken: cancellationToken);
        }
    }

    /// <summary>The write is durable once the ticket document is; a failed copy is only logged and redone by the next sweep.</summary>
    private async Task TryFanOutAsync(IReadOnlyList<PendingChanges> items, CancellationToken cancellationToken)
    {
        try
        {
            await FanOutAsync(items, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFanOutFailed(_logger, ex, items.Count);
        }
    }

    private async Task FanOutAsync(IReadOnlyList<PendingChanges> items, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
        {
            return;
        }
        var audit = items.SelectMany(i => i.Audit).ToList();
        var events = items.SelectMany(i => i.Events).ToList();
        await InsertIgnoringDuplicatesAsync(_audit, audit, cancellationToken);
        await InsertIgnoringDuplicatesAsync(_outbox, events, cancellationToken);

        var ticketIds = Filter.In(F.Id, items.Select(i => i.TicketId).Distinct());
        var pull = new BsonDocument("$pull", new BsonDocument
        {
            { F.PendingAudit, new BsonDocument(F.Id, new BsonDocument("$in", new BsonArray(audit.Select(a => a[F.Id])))) },
            { F.PendingEvents, new BsonDocument(F.Id, new BsonDocument("$in", new BsonArray(events.Select(e => e[F.Id])))) },
        });
        await _tickets.UpdateManyAsync(ticketIds, pull, cancellationToken: cancellationToken);

        // Drop the emptied holder only where nothing new was appended meanwhile, so the sweep's index stays small.
        var empty = ticketIds & EmptyOrMissing(F.PendingAudit) & EmptyOrMissing(F.PendingEvents);
        await _tickets.UpdateManyAsync(empty, Builders<BsonDocument>.Update.Unset(F.Pending), cancellationToken: cancellationToken);

        static FilterDefinition<BsonDocument> EmptyOrMissing(string field) => Filter.Exists(field, false) | Filter.Size(field, 0);
    }

    /// <summary>Copies changes left pending by interrupted writes (standalone servers only ever have any).</summary>
    private async Task CompletePendingAsync(FilterDefinition<BsonDocument> scope, CancellationToken cancellationToken)
    {
        var documents = await _tickets.Find(scope & Filter.Exists(F.Pending))
            .Project<BsonDocument>(Builders<BsonDocument>.Projection.Include(F.Pending))
            .Limit(PendingSweepLimit)
            .ToListAsync(cancellationToken);
        if (documents.Count == 0)
        {
            return;
        }
        var items = documents.Select(d =>
        {
            var pending = d[F.Pending].AsBsonDocument;
            return new PendingChanges(
                d[F.Id].AsString,
                pending.GetValue("audit", new BsonArray()).AsBsonArray.Select(v => v.AsBsonDocument).ToList(),
                pending.GetValue("events", new BsonArray()).AsBsonArray.Select(v => v.AsBsonDocument).ToList());
        }).ToList();
        await FanOutAsync(items, cancellationToken);
    }

    private static async Task InsertIgnoringDuplicatesAsync(IMongoCollection<BsonDocument> collection, List<BsonDocument> documents, CancellationToken cancellationToken)
    {
        if (documents.Count == 0)
        {
            return;
        }
        try
        {
            await collection.InsertManyAsync(documents, new InsertManyOptions { IsOrdered = false }, cancellationToken);
        }
        catch (MongoBulkWriteException<BsonDocument> ex) when (ex.WriteConcernError is null && ex.WriteErrors.All(e => e.Category == ServerErrorCategory.DuplicateKey))
        {
            // Already copied by an earlier, interrupted fan-out: the ids are the entries' own.
        }
    }

    internal static bool IsDuplicateKey(Exception exception) => exception switch
    {
        MongoWriteException write => write.WriteError?.Category == ServerErrorCategory.DuplicateKey,
        MongoBulkWriteException bulk => bulk.WriteErrors.Count > 0 && bulk.WriteErrors.All(e => e.Category == ServerErrorCategory.DuplicateKey),
        MongoCommandException command => command.Code == 11000,
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Copying the pending audit entries and events of {Count} tickets failed; the next outbox poll completes it.")]
    private static partial void LogFanOutFailed(ILogger logger, Exception exception, int count);

    private static BsonDocument? PendingOrNull(PendingChanges changes) => changes.IsEmpty ? null : Pending(changes.Audit, changes.Events);

    private sealed record PendingChanges(string TicketId, List<BsonDocument> Audit, List<BsonDocument> Events)
    {
        public bool IsEmpty => Audit.Count == 0 && Events.Count == 0;
    }
}
