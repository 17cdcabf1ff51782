using System.Text;
using AspireTickets.Domain.Events;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;
using AspireTickets.Ingestion.Sources.Kafka;
using AspireTickets.Tests.Events;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace AspireTickets.Tests.Ingestion;

public class KafkaInboundTests
{
    private static string Message(string id, string title = "Payroll export stuck", string priority = "high") =>
        $$"""{"id":"{{id}}","system":"servicenow","title":"{{title}}","description":"The payroll export has been running for 3 hours.","priority":"{{priority}}","reporter":{"name":"Sanne de Vries","email":"sanne@example.nl"},"labels":["payroll"],"createdAt":"2026-03-01T16:00:00Z"}""";

    [Fact]
    public async Task Messages_are_stored_then_committed_and_poison_is_archived_not_blocking()
    {
        await using var host = await IngestionTestHost.StartAsync();
        var consumer = new FakeConsumer(Message("INC001"), "{ not json", Message("INC002"), Message("INC001"));

        await RunUntilDrainedAsync(host, consumer);

        var tickets = host.MemoryStore!.All();
        Assert.Equal(2, tickets.Count);
        var first = Assert.Single(tickets, t => t.SourceKey == "kafka:servicenow:INC001");
        Assert.Equal(TicketPriority.High, first.Priority);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 16, 0, 0, TimeSpan.Zero), first.CreatedAt);
        Assert.Equal(new Person("Sanne de Vries", "sanne@example.nl"), first.Reporter);
        Assert.Equal([0L, 1L, 2L, 3L], consumer.CommittedOffsets);
        Assert.Equal(["tickets-inbound"], consumer.Subscribed);
        Assert.True(consumer.Closed);
        Assert.Single(host.Archived(KafkaInboundConsumer.RejectedSource));
        Assert.Equal(2, host.MemoryStore.Events().Count(e => e.Type == TicketEventTypes.Created));
    }

    [Fact]
    public async Task A_storage_failure_is_retried_and_nothing_is_committed_before_the_ticket_is_stored()
    {
        var flaky = new FlakyStore(failures: 2);
        await using var host = await IngestionTestHost.StartAsync(services => services.AddSingleton<ITicketStore>(flaky));
        var consumer = new FakeConsumer(Message("INC010"));
        using var stop = new CancellationTokenSource();
        consumer.Drained = stop.Cancel;
        var run = Task.Run(() => NewConsumer(host, consumer).RunAsync(stop.Token), TestContext.Current.CancellationToken);

        while (!run.IsCompleted)
        {
            // The retry waits on the (fake) clock; move it along while checking nothing was committed early.
            if (flaky.Inner.All().Count == 0)
            {
                Assert.Empty(consumer.CommittedOffsets);
            }
            host.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
        await run;

        Assert.Equal(2, flaky.Failed);
        Assert.Single(flaky.Inner.All());
        Assert.Equal([0L], consumer.CommittedOffsets);
    }

    [Theory]
    [InlineData("""{"system":"x","title":"t"}""", "id")]
    [InlineData("""{"id":"1","title":" "}""", "title")]
    [InlineData("""{"id":"1","title":"t","priority":"7"}""", "priority")]
    [InlineData("""{"id":"1","title":"t","system":"a b"}""", "system")]
    [InlineData("""{"id":"1","title":"t","createdAt":"soon"}""", "createdAt")]
    public void Invalid_messages_name_the_field(string json, string field)
    {
        var result = Assert.IsType<AspireTickets.Ingestion.Sources.ParseResult.Invalid>(InboundTicketParser.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(field, result.Field);
    }

    [Fact]
    public async Task Against_a_real_broker_messages_are_consumed_and_committed()
    {
        var bootstrap = Environment.GetEnvironmentVariable("TICKETS_TEST_KAFKA");
        if (string.IsNullOrWhiteSpace(bootstrap))
        {
            Assert.Skip("skipped: no Kafka at TICKETS_TEST_KAFKA");
        }
        var options = new KafkaInboundOptions { Topic = "tickets-inbound-test-" + Guid.NewGuid().ToString("N"), GroupId = "test-" + Guid.NewGuid().ToString("N") };
        using (var producer = new ProducerBuilder<string?, byte[]>(new ProducerConfig { BootstrapServers = bootstrap }).Build())
        {
            await producer.ProduceAsync(options.Topic, new Message<string?, byte[]> { Key = "INC900", Value = Encoding.UTF8.GetBytes(Message("INC900")) }, TestContext.Current.CancellationToken);
        }
        await using var host = await IngestionTestHost.StartAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var consumer = new KafkaInboundConsumer(() => KafkaInboundConsumer.CreateConsumer(bootstrap, options), host.GetService<IServiceScopeFactory>(), options, TimeProvider.System, NullLogger<KafkaInboundConsumer>.Instance);
        var run = Task.Run(() => consumer.RunAsync(stop.Token), TestContext.Current.CancellationToken);
        while (host.MemoryStore!.All().Count == 0 && !stop.IsCancellationRequested)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        await stop.CancelAsync();
        await run;
        Assert.Single(host.MemoryStore.All(), t => t.SourceKey == "kafka:servicenow:INC900");
    }

    private static KafkaInboundConsumer NewConsumer(IngestionTestHost host, FakeConsumer consumer) =>
        new(() => consumer, host.GetService<IServiceScopeFactory>(), new KafkaInboundOptions(), host.Time, NullLogger<KafkaInboundConsumer>.Instance);

    private static async Task RunUntilDrainedAsync(IngestionTestHost host, FakeConsumer consumer)
    {
        using var stop = new CancellationTokenSource();
        consumer.Drained = stop.Cancel;
        await NewConsumer(host, consumer).RunAsync(stop.Token);
    }

    private sealed class FlakyStore(int failures) : ITicketStore
    {
        public InMemoryTicketStore Inner { get; } = new();
        public int Failed { get; private set; }

        public Task<CreateTicketResult> CreateAsync(Ticket ticket, TicketChanges changes, CancellationToken cancellationToken = default)
        {
            if (Failed < failures)
            {
                Failed++;
                throw new IOException("database is locked");
            }
            return Inner.CreateAsync(ticket, changes, cancellationToken);
        }

        public Task<IReadOnlyList<CreateTicketResult>> CreateManyAsync(IReadOnlyList<(Ticket Ticket, TicketChanges Changes)> items, CancellationToken cancellationToken = default) => Inner.CreateManyAsync(items, cancellationToken);
        public Task<Ticket?> GetAsync(Guid id, CancellationToken cancellationToken = default) => Inner.GetAsync(id, cancellationToken);
        public Task<Ticket?> FindBySourceKeyAsync(string sourceKey, CancellationToken cancellationToken = default) => Inner.FindBySourceKeyAsync(sourceKey, cancellationToken);
        public Task UpdateAsync(Ticket ticket, long expectedVersion, TicketChanges changes, CancellationToken cancellationToken = default) => Inner.UpdateAsync(ticket, expectedVersion, changes, cancellationToken);
        public Task<TicketPage> QueryAsync(TicketQuery query, CancellationToken cancellationToken = default) => Inner.QueryAsync(query, cancellationToken);
        public Task<IReadOnlyList<AuditEntry>> GetAuditTrailAsync(Guid ticketId, CancellationToken cancellationToken = default) => Inner.GetAuditTrailAsync(ticketId, cancellationToken);
        public Task<IReadOnlyList<TicketFacts>> GetFactsAsync(DateTimeOffset? createdFrom, DateTimeOffset? createdTo, CancellationToken cancellationToken = default) => Inner.GetFactsAsync(createdFrom, createdTo, cancellationToken);
        public Task<IReadOnlyList<TicketEvent>> GetUnpublishedEventsAsync(int max, CancellationToken cancellationToken = default) => Inner.GetUnpublishedEventsAsync(max, cancellationToken);
        public Task MarkEventsPublishedAsync(IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken = default) => Inner.MarkEventsPublishedAsync(eventIds, cancellationToken);
    }

    /// <summary>An IConsumer over a fixed list of messages on partition 0 that records subscriptions and commits.</summary>
    private sealed class FakeConsumer(params string[] values) : ConsumerFake<string?, byte[]>
    {
        private readonly Queue<ConsumeResult<string?, byte[]>> _pending = new(values.Select((v, i) => new ConsumeResult<string?, byte[]>
        {
            Topic = "tickets-inbound",
            Partition = new Partition(0),
            Offset = new Offset(i),
            Message = new Message<string?, byte[]> { Key = null, Value = Encoding.UTF8.GetBytes(v) },
        }));

        public Action? Drained { get; set; }
        public List<long> CommittedOffsets { get; } = [];
        public List<string> Subscribed { get; } = [];
        public bool Closed { get; private set; }

        public override ConsumeResult<string?, byte[]> Consume(CancellationToken cancellationToken = default)
        {
            if (_pending.TryDequeue(out var next))
            {
                return next;
            }
            Drained?.Invoke();
            cancellationToken.ThrowIfCancellationRequested();
            throw new InvalidOperationException("drained without cancellation");
        }

        public override void Commit(ConsumeResult<string?, byte[]> result) => CommittedOffsets.Add(result.Offset.Value);
        public override void Subscribe(string topic) => Subscribed.Add(topic);
        public override void Subscribe(IEnumerable<string> topics) => Subscribed.AddRange(topics);
        public override void Close() => Closed = true;
        public override void Dispose() { }

        public override string MemberId => "fake";
        public override List<TopicPartition> Assignment => [];
        public override List<string> Subscription => Subscribed;
        public override string Name => "fake";
        public override int AddBrokers(string brokers) => 0;
        public override void SetSaslCredentials(string username, string password) { }
        public override void Unsubscribe() => Subscribed.Clear();
        public override List<TopicPartitionOffset> Commit() => throw new NotSupportedException();
        public override void Commit(IEnumerable<TopicPartitionOffset> offsets) => throw new NotSupportedException();
    }
}
