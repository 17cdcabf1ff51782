using System.Text;
using AspireTickets.Domain.Events;
using AspireTickets.Infrastructure.Events;
using AspireTickets.Infrastructure.Events.Kafka;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using static AspireTickets.Tests.Events.EventTestKit;

namespace AspireTickets.Tests.Events;

/// <summary>
/// The Kafka adapter's commit / retry / dead-letter rules, checked against Confluent.Kafka's producer and consumer
/// interfaces implemented by the in-memory broker double.
/// </summary>
public sealed class KafkaMessageProcessorTests : IDisposable
{
    private const string Group = "agents";
    private readonly string _directory = NewTempDirectory();
    private readonly FakeKafkaBroker _broker = new(partitions: 2);
    private readonly FakeKafkaProducer _producer;
    private readonly DeadLetterStore _deadLetters;
    private readonly EventLogOptions _options = new() { MaxAttempts = 3, RetryBaseDelay = TimeSpan.Zero, RetryMaxDelay = TimeSpan.Zero };

    public KafkaMessageProcessorTests()
    {
        _producer = new FakeKafkaProducer(_broker);
        _deadLetters = new DeadLetterStore(Documents(_directory), TimeProvider.System);
    }

    private KafkaMessageProcessor Processor(IConsumer<string, string> consumer, Func<TicketEvent, CancellationToken, Task> handler) =>
        new(consumer, _producer, _deadLetters, new EventDelivery(Group, KafkaEventLog.SystemName, handler, _options, NullLogger.Instance), _options, NullLogger.Instance);

    private FakeKafkaConsumer Subscribe()
    {
        var consumer = new FakeKafkaConsumer(_broker, Group);
        consumer.Subscribe(_options.Topic);
        return consumer;
    }

    private void Publish(params TicketEvent[] events)
    {
        foreach (var e in events)
        {
            _broker.Produce(_options.Topic, KafkaMessages.ToMessage(e));
        }
    }

    private List<string> Commits() => [.. _broker.Journal.Where(j => j.StartsWith("commit", StringComparison.Ordinal))];

    [Fact]
    public async Task Publishing_writes_key_value_and_headers()
    {
        var log = new KafkaEventLog(_producer, _broker.ConsumerFactory(), _deadLetters, Microsoft.Extensions.Options.Options.Create(_options));
        var e = Event(Guid.NewGuid()) with { TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", TraceState = "k=v" };

        await log.PublishAsync([e], Ct);

        var message = Assert.Single(_broker.Messages(_options.Topic)).Message;
        Assert.Equal(e.TicketId.ToString(), message.Key);
        Assert.Equal(e, EventJson.Deserialize(message.Value));
        Assert.Equal(e.TraceParent, KafkaMessages.Header(message.Headers, "traceparent"));
        Assert.Equal("k=v", KafkaMessages.Header(message.Headers, "tracestate"));
        Assert.Equal(TicketEventTypes.Created, KafkaMessages.Header(message.Headers, "event-type"));
        Assert.Equal(e.Id.ToString(), KafkaMessages.Header(message.Headers, "event-id"));
        Assert.Equal("2", KafkaMessages.Header(message.Headers, "schema-version"));
    }

    [Fact]
    public void Clients_are_configured_for_durable_publishing_and_manual_commits()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Aspire:Confluent:Kafka:Producer:Config:Acks"] = "None",
            ["Aspire:Confluent:Kafka:Producer:Config:LingerMs"] = "7",
            ["Aspire:Confluent:Kafka:Consumer:Config:EnableAutoCommit"] = "true",
        }).Build();

        var producer = KafkaClients.ProducerConfig(configuration, "broker:9092");
        var consumer = KafkaClients.ConsumerConfig(configuration, "broker:9092");

        Assert.Equal("broker:9092", producer.BootstrapServers);
        Assert.Equal(Acks.All, producer.Acks);
        Assert.True(producer.EnableIdempotence);
        Assert.Equal(7, producer.LingerMs);
        Assert.Equal("broker:9092", consumer.BootstrapServers);
        Assert.False(consumer.EnableAutoCommit);
        Assert.Equal(AutoOffsetReset.Earliest, consumer.AutoOffsetReset);
    }

    [Fact]
    public async Task The_offset_is_committed_only_after_the_handler_returned()
    {
        Publish(Event(Guid.NewGuid()));
        var consumer = Subscribe();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var result = consumer.Consume(Ct);

        var processing = Processor(consumer, async (_, _) =>
        {
            entered.SetResult();
            await release.Task;
        }).ProcessAsync(result, Ct);
        await entered.Task.WaitAsync(Ct);

        Assert.Empty(Commits());
        release.SetResult();
        await processing;
        Assert.Equal([$"commit {Group} {_options.Topic}/{result.Partition.Value}@{result.Offset.Value + 1}"], Commits());
    }

    [Fact]
    public async Task The_committed_offset_is_the_next_one_to_read()
    {
        var ticket = Guid.NewGuid();
        Publish(Event(ticket, seq: 0), Event(ticket, seq: 1), Event(ticket, seq: 2));
        var consumer = Subscribe();
        var processor = Processor(consumer, (_, _) => Task.CompletedTask);

        for (var i = 0; i < 3; i++)
        {
            await processor.ProcessAsync(consumer.Consume(Ct), Ct);
        }

        var partition = _broker.Messages(_options.Topic)[0].Partition;
        Assert.Equal(3, _broker.Committed(Group, _options.Topic, partition));
    }

    [Fact]
    public async Task A_poison_message_goes_to_the_dead_letter_topic_after_the_last_attempt_and_is_then_committed()
    {
        var poison = Event(Guid.NewGuid());
        Publish(poison);
        var consumer = Subscribe();
        var attempts = 0;
        var result = consumer.Consume(Ct);

        await Processor(consumer, (_, _) =>
        {
            attempts++;
            throw new InvalidOperationException("no such category");
        }).ProcessAsync(result, Ct);

        Assert.Equal(3, attempts);
        var dead = Assert.Single(_broker.Messages(_options.DeadLetterTopic)).Message;
        Assert.Equal(poison.TicketId.ToString(), dead.Key);
        Assert.Equal(result.Message.Value, dead.Value);
        Assert.Contains("no such category", KafkaMessages.Header(dead.Headers, "error"), StringComparison.Ordinal);
        Assert.Equal("3", KafkaMessages.Header(dead.Headers, "attempts"));
        Assert.Equal(_options.Topic, KafkaMessages.Header(dead.Headers, "original-topic"));
        Assert.Equal(result.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), KafkaMessages.Header(dead.Headers, "original-partition"));
        Assert.Equal("0", KafkaMessages.Header(dead.Headers, "original-offset"));
        Assert.Equal(poison.Id.ToString(), KafkaMessages.Header(dead.Headers, "event-id"));

        // Dead-lettered first, committed after: a crash in between dead-letters again rather than losing it.
        var journal = _broker.Journal.Skip(1).ToList();
        Assert.StartsWith($"produce {_options.DeadLetterTopic}/", journal[0], StringComparison.Ordinal);
        Assert.Equal($"commit {Group} {_options.Topic}/{result.Partition.Value}@1", journal[1]);

        var letter = Assert.Single((await _deadLetters.ListAsync(Group, 1, 10, Ct)).Items);
        Assert.Equal(poison, letter.Event);
        Assert.Equal(3, letter.Attempts);
        Assert.Equal(0, letter.OriginalOffset);
    }

    [Fact]
    public async Task Nothing_is_committed_when_the_dead_letter_cannot_be_written()
    {
        Publish(Event(Guid.NewGuid()));
        var consumer = Subscribe();
        _producer.FailTopic = _options.DeadLetterTopic;

        await Assert.ThrowsAsync<ProduceException<string, string>>(() =>
            Processor(consumer, (_, _) => throw new InvalidOperationException("boom")).ProcessAsync(consumer.Consume(Ct), Ct));

        Assert.Empty(Commits());
    }

    [Fact]
    public async Task An_unreadable_message_is_dead_lettered_without_calling_the_handler()
    {
        _broker.Produce(_options.Topic, new Message<string, string> { Key = "k", Value = "{not json", Headers = [] });
        var consumer = Subscribe();
        var called = false;

        await Processor(consumer, (_, _) => Task.FromResult(called = true)).ProcessAsync(consumer.Consume(Ct), Ct);

        Assert.False(called);
        var dead = Assert.Single(_broker.Messages(_options.DeadLetterTopic)).Message;
        Assert.Contains("not valid JSON", KafkaMessages.Header(dead.Headers, "error"), StringComparison.Ordinal);
        Assert.Single(Commits());
    }

    [Fact]
    public async Task A_crash_before_the_commit_delivers_the_message_again()
    {
        var e = Event(Guid.NewGuid());
        Publish(e);
        var first = Subscribe();
        using var crash = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var result = first.Consume(Ct);

        // The handler is mid-way when the process "dies" (its token is cancelled): nothing may be committed.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Processor(first, async (_, ct) =>
        {
            await crash.CancelAsync();
            ct.ThrowIfCancellationRequested();
        }).ProcessAsync(result, crash.Token));
        Assert.Empty(Commits());
        first.Dispose();

        var second = Subscribe();
        var again = second.Consume(Ct);
        Assert.Equal(result.Offset, again.Offset);
        Assert.Equal(e.Id.ToString(), KafkaMessages.Header(again.Message.Headers, "event-id"));
        await Processor(second, (_, _) => Task.CompletedTask).ProcessAsync(again, Ct);
        Assert.Single(Commits());
    }

    [Fact]
    public async Task A_commit_lost_in_a_rebalance_is_not_fatal_and_the_message_comes_again()
    {
        Publish(Event(Guid.NewGuid()));
        var consumer = Subscribe();
        consumer.CommitFailure = new KafkaException(new Error(ErrorCode.RebalanceInProgress, "rebalancing", isFatal: false));
        var calls = 0;
        var result = consumer.Consume(Ct);

        await Processor(consumer, (_, _) => Task.FromResult(++calls)).ProcessAsync(result, Ct);

        Assert.Equal(1, calls);
        Assert.Empty(Commits());
        var next = Subscribe();
        Assert.Equal(result.Offset, next.Consume(Ct).Offset);
    }

    [Fact]
    public async Task A_replay_for_another_group_is_skipped_and_committed()
    {
        _broker.Produce(_options.Topic, KafkaMessages.ToMessage(Event(Guid.NewGuid()), targetGroup: "someone-else"));
        var consumer = Subscribe();
        var called = false;

        await Processor(consumer, (_, _) => Task.FromResult(called = true)).ProcessAsync(consumer.Consume(Ct), Ct);

        Assert.False(called);
        Assert.Single(Commits());
    }

    [Fact]
    public async Task The_consume_loop_keeps_each_keys_order_and_closes_the_consumer()
    {
        var tickets = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var seq in Enumerable.Range(0, 10))
        {
            Publish([.. tickets.Select(t => Event(t, seq: seq))]);
        }
        var factory = _broker.ConsumerFactory();
        var log = new KafkaEventLog(_producer, factory, _deadLetters, Microsoft.Extensions.Options.Options.Create(_options));
        var seen = new List<TicketEvent>();
        var failedOnce = new HashSet<Guid>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var consuming = log.ConsumeAsync(Group, (e, _) =>
        {
            lock (seen)
            {
                if (e.OccurredAt.Second % 3 == 0 && failedOnce.Add(e.Id))
                {
                    throw new InvalidOperationException("flaky");
                }
                seen.Add(e);
                if (seen.Count == 40)
                {
                    stop.Cancel();
                }
            }
            return Task.CompletedTask;
        }, stop.Token);
        await consuming.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        foreach (var ticket in tickets)
        {
            Assert.Equal(Enumerable.Range(0, 10).Select(s => T0.AddSeconds(s)), seen.Where(e => e.TicketId == ticket).Select(e => e.OccurredAt));
        }
        var consumer = Assert.Single(factory.Created);
        Assert.True(consumer.Closed);
        Assert.True(consumer.Disposed);
    }

    public void Dispose() => DeleteDirectory(_directory);
}
