using Confluent.Kafka;

namespace AspireTickets.Tests.Events;

/// <summary>
/// The part of <see cref="IConsumer{TKey,TValue}"/> no code under test calls (manual assignment, seeking, pausing,
/// offset queries, timed consumes): it throws, so a test fails loudly if the code starts to rely on it. Fakes derive
/// from this and implement only what the product uses.
/// </summary>
public abstract class ConsumerFake<TKey, TValue> : IConsumer<TKey, TValue>
{
    public abstract string Name { get; }
    public abstract string MemberId { get; }
    public abstract List<TopicPartition> Assignment { get; }
    public abstract List<string> Subscription { get; }

    public abstract ConsumeResult<TKey, TValue> Consume(CancellationToken cancellationToken = default);
    public abstract void Subscribe(string topic);
    public abstract void Subscribe(IEnumerable<string> topics);
    public abstract void Unsubscribe();
    public abstract List<TopicPartitionOffset> Commit();
    public abstract void Commit(IEnumerable<TopicPartitionOffset> offsets);
    public abstract void Commit(ConsumeResult<TKey, TValue> result);
    public abstract void Close();
    public abstract void Dispose();
    public abstract int AddBrokers(string brokers);
    public abstract void SetSaslCredentials(string username, string password);

    public Handle Handle => throw new NotSupportedException();
    public IConsumerGroupMetadata ConsumerGroupMetadata => throw new NotSupportedException();
    public ConsumeResult<TKey, TValue> Consume(int millisecondsTimeout) => throw new NotSupportedException();
    public ConsumeResult<TKey, TValue> Consume(TimeSpan timeout) => throw new NotSupportedException();
    public void Assign(TopicPartition partition) => throw new NotSupportedException();
    public void Assign(TopicPartitionOffset partition) => throw new NotSupportedException();
    public void Assign(IEnumerable<TopicPartitionOffset> partitions) => throw new NotSupportedException();
    public void Assign(IEnumerable<TopicPartition> partitions) => throw new NotSupportedException();
    public void IncrementalAssign(IEnumerable<TopicPartitionOffset> partitions) => throw new NotSupportedException();
    public void IncrementalAssign(IEnumerable<TopicPartition> partitions) => throw new NotSupportedException();
    public void IncrementalUnassign(IEnumerable<TopicPartition> partitions) => throw new NotSupportedException();
    public void Unassign() => throw new NotSupportedException();
    public void StoreOffset(ConsumeResult<TKey, TValue> result) => throw new NotSupportedException();
    public void StoreOffset(TopicPartitionOffset offset) => throw new NotSupportedException();
    public void Seek(TopicPartitionOffset tpo) => throw new NotSupportedException();
    public void Pause(IEnumerable<TopicPartition> partitions) => throw new NotSupportedException();
    public void Resume(IEnumerable<TopicPartition> partitions) => throw new NotSupportedException();
    public List<TopicPartitionOffset> Committed(TimeSpan timeout) => throw new NotSupportedException();
    public List<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout) => throw new NotSupportedException();
    public Offset Position(TopicPartition partition) => throw new NotSupportedException();
    public List<TopicPartitionOffset> OffsetsForTimes(IEnumerable<TopicPartitionTimestamp> timestampsToSearch, TimeSpan timeout) => throw new NotSupportedException();
    public WatermarkOffsets GetWatermarkOffsets(TopicPartition topicPartition) => throw new NotSupportedException();
    public WatermarkOffsets QueryWatermarkOffsets(TopicPartition topicPartition, TimeSpan timeout) => throw new NotSupportedException();
}
