using System.Text;
using AspireTickets.Infrastructure.Events.Kafka;
using Confluent.Kafka;

namespace AspireTickets.Tests.Events;

/// <summary>
/// A hand-written in-memory broker behind Confluent.Kafka's <see cref="IProducer{TKey,TValue}"/> and
/// <see cref="IConsumer{TKey,TValue}"/> interfaces: partitioned topics (partition by key), committed offsets per
/// consumer group, and a journal of produces and commits so tests can check what happened in which order.
/// A consumer starts at its group's committed offsets, which is what makes a "crash" (dropping a consumer
/// without committing) redeliver.
/// </summary>
public sealed class FakeKafkaBroker(int partitions = 4)
{
    private readonly object _lock = new();
    private readonly Dictionary<string, List<Message<string, string>>[]> _topics = [];
    private readonly Dictionary<(string Group, string Topic, int Partition), long> _committed = [];

    public int Partitions => partitions;

    /// <summary>"produce topic/partition@offset" and "commit group topic/partition@offset", in order.</summary>
    public List<string> Journal { get; } = [];

    public TopicPartitionOffset Produce(string topic, Message<string, string> message)
    {
        lock (_lock)
        {
            var log = Topic(topic);
            var partition = PartitionFor(message.Key);
            log[partition].Add(message);
            var offset = log[partition].Count - 1;
            Journal.Add($"produce {topic}/{partition}@{offset}");
            Monitor.PulseAll(_lock);
            return new TopicPartitionOffset(topic, new Partition(partition), new Offset(offset));
        }
    }

    public IReadOnlyList<(int Partition, long Offset, Message<string, string> Message)> Messages(string topic)
    {
        lock (_lock)
        {
            return [.. Topic(topic).SelectMany((list, p) => list.Select((m, o) => (p, (long)o, m)))];
        }
    }

    public long Committed(string group, string topic, int partition)
    {
        lock (_lock)
        {
            return _committed.GetValueOrDefault((group, topic, partition));
        }
    }

    internal void Commit(string group, TopicPartitionOffset offset)
    {
        lock (_lock)
        {
            _committed[(group, offset.Topic, offset.Partition.Value)] = offset.Offset.Value;
            Journal.Add($"commit {group} {offset.Topic}/{offset.Partition.Value}@{offset.Offset.Value}");
        }
    }

    /// <summary>The next message at or after the positions (round-robin over partitions), waiting until one arrives.</summary>
    internal ConsumeResult<string, string> Next(string topic, long[] positions, ref int cursor, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var log = Topic(topic);
                for (var i = 0; i < partitions; i++)
                {
                    var p = (cursor + i) % partitions;
                    if (positions[p] < log[p].Count)
                    {
                        var offset = positions[p]++;
                        cursor = p + 1;
                        return new ConsumeResult<string, string>
                        {
                            TopicPartitionOffset = new TopicPartitionOffset(topic, new Partition(p), new Offset(offset)),
                            Message = log[p][(int)offset],
                        };
                    }
                }
                Monitor.Wait(_lock, 20);
            }
        }
    }

    private List<Message<string, string>>[] Topic(string topic)
    {
        if (!_topics.TryGetValue(topic, out var log))
        {
            _topics[topic] = log = [.. Enumerable.Range(0, partitions).Select(_ => new List<Message<string, string>>())];
        }
        return log;
    }

    private int PartitionFor(string? key) =>
        key is null ? 0 : (int)(Encoding.UTF8.GetBytes(key).Aggregate(2166136261u, (h, b) => (h ^ b) * 16777619u) % (uint)partitions);

    public FakeKafkaConsumerFactory ConsumerFactory() => new(this);
}

public sealed class FakeKafkaConsumerFactory(FakeKafkaBroker broker) : IKafkaConsumerFactory
{
    public List<FakeKafkaConsumer> Created { get; } = [];

    public IConsumer<string, string> Create(string groupId)
    {
        var consumer = new FakeKafkaConsumer(broker, groupId);
        lock (Created)
        {
            Created.Add(consumer);
        }
        return consumer;
    }
}

public sealed class FakeKafkaProducer(FakeKafkaBroker broker) : IProducer<string, string>
{
    /// <summary>When set, produces to this topic fail (to test that nothing is committed then).</summary>
    public string? FailTopic { get; set; }

    public Handle Handle => throw new NotSupportedException();
    public string Name => "fake-producer";

    public Task<DeliveryResult<string, string>> ProduceAsync(string topic, Message<string, string> message, CancellationToken cancellationToken = default)
    {
        if (topic == FailTopic)
        {
            return Task.FromException<DeliveryResult<string, string>>(
                new ProduceException<string, string>(new Error(ErrorCode.BrokerNotAvailable), new DeliveryResult<string, string> { Message = message }));
        }
        var at = broker.Produce(topic, message);
        return Task.FromResult(new DeliveryResult<string, string> { TopicPartitionOffset = at, Message = message, Status = PersistenceStatus.Persisted });
    }

    public Task<DeliveryResult<string, string>> ProduceAsync(TopicPartition topicPartition, Message<string, string> message, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public void Produce(string topic, Message<string, string> message, Action<DeliveryReport<string, string>>? deliveryHandler = null)
    {
        var at = broker.Produce(topic, message);
        deliveryHandler?.Invoke(new DeliveryReport<string, string> { TopicPartitionOffset = at, Message = message, Status = PersistenceStatus.Persisted });
    }

    public void Produce(TopicPartition topicPartition, Message<string, string> message, Action<DeliveryReport<string, string>>? deliveryHandler = null) =>
        throw new NotSupportedException();

    public int Poll(TimeSpan timeout) => 0;
    public int Flush(TimeSpan timeout) => 0;
    public void Flush(CancellationToken cancellationToken = default) { }
    public void InitTransactions(TimeSpan timeout) => throw new NotSupportedException();
    public void BeginTransaction() => throw new NotSupportedException();
    public void CommitTransaction(TimeSpan timeout) => throw new NotSupportedException();
    public void CommitTransaction() => throw new NotSupportedException();
    public void AbortTransaction(TimeSpan timeout) => throw new NotSupportedException();
    public void AbortTransaction() => throw new NotSupportedException();
    public void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata groupMetadata, TimeSpan timeout) =>
        throw new NotSupportedException();
    public int AddBrokers(string brokers) => throw new NotSupportedException();
    public void SetSaslCredentials(string username, string password) => throw new NotSupportedException();
    public void Dispose() { }
}

public sealed class FakeKafkaConsumer(FakeKafkaBroker broker, string groupId) : ConsumerFake<string, string>
{
    private string? _topic;
    private long[] _positions = [];
    private int _cursor;

    public string GroupId => groupId;

    /// <summary>When set, commits fail with this (e.g. the partition went to another member in a rebalance).</summary>
    public KafkaException? CommitFailure { get; set; }

    public bool Closed { get; private set; }
    public bool Disposed { get; private set; }

    public override string Name => $"fake-consumer-{groupId}";
    public override string MemberId => Name;
    public override List<TopicPartition> Assignment =>
        _topic is null ? [] : [.. Enumerable.Range(0, broker.Partitions).Select(p => new TopicPartition(_topic, new Partition(p)))];
    public override List<string> Subscription => _topic is null ? [] : [_topic];

    public override void Subscribe(string topic)
    {
        _topic = topic;
        _positions = [.. Enumerable.Range(0, broker.Partitions).Select(p => broker.Committed(groupId, topic, p))];
    }

    public override void Subscribe(IEnumerable<string> topics) => Subscribe(topics.Single());

    public override ConsumeResult<string, string> Consume(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Closed || Disposed, this);
        var topic = _topic ?? throw new InvalidOperationException("Not subscribed.");
        return broker.Next(topic, _positions, ref _cursor, cancellationToken);
    }


    public override void Commit(IEnumerable<TopicPartitionOffset> offsets)
    {
        ObjectDisposedException.ThrowIf(Closed || Disposed, this);
        if (CommitFailure is { } failure)
        {
            throw failure;
        }
        foreach (var offset in offsets)
        {
            broker.Commit(groupId, offset);
        }
    }

    public override List<TopicPartitionOffset> Commit() => throw new NotSupportedException("The event log commits explicit offsets.");
    public override void Commit(ConsumeResult<string, string> result) => throw new NotSupportedException("The event log commits explicit offsets.");

    public override void Close() => Closed = true;
    public override void Dispose() => Disposed = true;

    public override void Unsubscribe() => _topic = null;
    public override int AddBrokers(string brokers) => throw new NotSupportedException();
    public override void SetSaslCredentials(string username, string password) => throw new NotSupportedException();
}
