using AspireTickets.Domain.Events;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;
using AspireTickets.Infrastructure.Storage.Mongo;
using MongoDB.Bson;
using MongoDB.Driver;

namespace AspireTickets.Tests.Storage;

/// <summary>
/// The conformance suite against a real MongoDB given by <c>TICKETS_TEST_MONGODB</c> (a URL). Each test gets its own
/// database named for this run; all are dropped at the end. Without the variable every test reports itself skipped.
/// </summary>
public sealed class MongoTicketStoreTests : TicketStoreConformance, IAsyncDisposable
{
    public const string SkipReason = "skipped: no MongoDB at TICKETS_TEST_MONGODB";

    private static readonly string? Url = Environment.GetEnvironmentVariable("TICKETS_TEST_MONGODB");
    private static readonly string RunId = DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + "_" + Guid.NewGuid().ToString("N")[..6];
    private static int _next;

    private readonly List<string> _databases = [];
    private MongoClient? _client;

    protected override async Task<ITicketStore> CreateStoreAsync() => await NewStoreAsync();

    [Fact]
    public async Task Writes_interrupted_before_their_fan_out_are_completed_by_the_next_outbox_poll()
    {
        var store = await NewStoreAsync();
        var database = _client!.GetDatabase(_databases[^1]);
        var ticket = NewTicket("interrupted");
        ticket.Version = 1;
        var audit = MongoTicketDocuments.AuditDocuments(Changes(ticket).Audit, 1);
        var created = TicketEvent.Create(TicketEventTypes.Created, ticket.Id, T0);
        var analyzed = TicketEvent.Create(TicketEventTypes.Analyzed, ticket.Id, T0.AddMinutes(1));
        var events = MongoTicketDocuments.EventDocuments([created, analyzed]);
        // What a standalone-server write leaves when the process dies right after the ticket document is written;
        // one event had been copied already, which the fan-out must tolerate.
        await database.GetCollection<BsonDocument>(MongoTicketDocuments.TicketsCollection)
            .InsertOneAsync(MongoTicketDocuments.NewTicket(ticket, MongoTicketDocuments.Pending(audit, events)), cancellationToken: TestContext.Current.CancellationToken);
        await database.GetCollection<BsonDocument>(MongoTicketDocuments.OutboxCollection)
            .InsertOneAsync(events[0].DeepClone().AsBsonDocument, cancellationToken: TestContext.Current.CancellationToken);

        var pending = await store.GetUnpublishedEventsAsync(10, TestContext.Current.CancellationToken);

        Assert.Equal([created.Id, analyzed.Id], pending.Select(e => e.Id));
        Assert.Equal(["created"], (await store.GetAuditTrailAsync(ticket.Id, TestContext.Current.CancellationToken)).Select(a => a.Field));
        var stored = await database.GetCollection<BsonDocument>(MongoTicketDocuments.TicketsCollection)
            .Find(new BsonDocument("_id", MongoTicketDocuments.Id(ticket.Id))).FirstAsync(TestContext.Current.CancellationToken);
        Assert.False(stored.Contains(MongoTicketDocuments.Fields.Pending));
        Assert.Equal(2, (await store.GetUnpublishedEventsAsync(10, TestContext.Current.CancellationToken)).Count);
    }

    private async Task<MongoTicketStore> NewStoreAsync()
    {
        if (string.IsNullOrWhiteSpace(Url))
        {
            Assert.Skip(SkipReason);
        }
        _client ??= new MongoClient(Url);
        var name = $"tickets_test_{RunId}_{Interlocked.Increment(ref _next)}";
        _databases.Add(name);
        var store = new MongoTicketStore(_client.GetDatabase(name));
        await store.EnsureCreatedAsync(TestContext.Current.CancellationToken);
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is null)
        {
            return;
        }
        foreach (var name in _databases)
        {
            await _client.DropDatabaseAsync(name);
        }
        _client.Dispose();
    }
}
