namespace AspireTickets.Infrastructure.Events;

/// <summary>Settings of the event plumbing, bound from <c>Tickets:Events</c>; both adapters and the outbox use them.</summary>
public sealed class EventLogOptions
{
    public const string SectionName = "Tickets:Events";

    /// <summary>Handler attempts per event and consumer group before the event is dead-lettered.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Wait before the second attempt; doubles per attempt up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Partitions: in-process, the workers per consumer group (events of one ticket always use the same one);
    /// Kafka, the partition count given to the topics when they are created.
    /// </summary>
    public int Partitions { get; set; } = 8;

    /// <summary>
    /// In-process: events held (on disk and in memory) until every consumer group has consumed them. When full,
    /// publishing waits and the rest stays in the outbox.
    /// </summary>
    public int InProcessCapacity { get; set; } = 100_000;

    /// <summary>
    /// In-process: how often the consumer groups' committed offsets are saved to disk. After a kill, a group gets
    /// again at most the events it finished within this last interval (idempotent consumers absorb them).
    /// </summary>
    public TimeSpan InProcessCommitInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// In-process: a consumer group that has not consumed for this long is forgotten, so a group that was renamed
    /// or removed does not hold events (and, once the log is full, publishing) forever. If it comes back it starts
    /// at the oldest event still held.
    /// </summary>
    public TimeSpan InProcessGroupRetention { get; set; } = TimeSpan.FromDays(7);

    public string Topic { get; set; } = "ticket-events";

    public string DeadLetterTopic { get; set; } = "ticket-events.dlq";

    /// <summary>How often the outbox is looked at when no write signalled it.</summary>
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    public int OutboxBatchSize { get; set; } = 200;

    /// <summary>
    /// How long processed event ids are remembered. Must exceed the longest a duplicate can arrive after the
    /// original (Kafka's retention, a dead letter waiting for replay); older ids are pruned hourly.
    /// </summary>
    public TimeSpan ProcessedEventRetention { get; set; } = TimeSpan.FromDays(14);

    public TimeSpan BackoffFor(int failedAttempts)
    {
        var factor = Math.Pow(2, Math.Clamp(failedAttempts - 1, 0, 30));
        var delay = RetryBaseDelay.TotalMilliseconds * factor;
        return TimeSpan.FromMilliseconds(Math.Min(delay, RetryMaxDelay.TotalMilliseconds));
    }

    internal void Validate()
    {
        if (MaxAttempts < 1)
        {
            throw new InvalidOperationException($"{SectionName}:MaxAttempts must be at least 1.");
        }
        if (Partitions is < 1 or > 1024)
        {
            throw new InvalidOperationException($"{SectionName}:Partitions must be between 1 and 1024.");
        }
        if (InProcessCapacity < Partitions)
        {
            throw new InvalidOperationException($"{SectionName}:InProcessCapacity must be at least the partition count.");
        }
        if (InProcessCommitInterval <= TimeSpan.Zero || InProcessGroupRetention <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{SectionName}:InProcessCommitInterval and InProcessGroupRetention must be positive.");
        }
        if (OutboxBatchSize < 1)
        {
            throw new InvalidOperationException($"{SectionName}:OutboxBatchSize must be at least 1.");
        }
    }
}
