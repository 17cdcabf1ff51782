namespace AspireTickets.Domain.Events;

/// <summary>
/// An event that one consumer group's handler kept failing on: it is parked here with the last error instead of
/// being dropped, and can be replayed to that group once the cause is fixed.
/// </summary>
public sealed record DeadLetter
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required TicketEvent Event { get; init; }
    public required string ConsumerGroup { get; init; }

    /// <summary>The last failure: exception type and message.</summary>
    public required string Error { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset DeadLetteredAt { get; init; }

    /// <summary>Where the event sat in the log (Kafka: topic, partition, offset; in-process: partition and offset).</summary>
    public string? OriginalTopic { get; init; }
    public int? OriginalPartition { get; init; }
    public long? OriginalOffset { get; init; }
}
