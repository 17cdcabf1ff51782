namespace AspireTickets.Domain.Events;

/// <summary>
/// The event log port. Delivery is at least once and in order per ticket (the ticket id is the partition key).
/// Adapters: in-process (embedded) and Kafka (<c>ConnectionStrings:kafka</c>, topic <c>ticket-events</c>);
/// both pass the same conformance suite.
/// </summary>
public interface IEventLog
{
    /// <summary>Appends the events; returns once the log has durably accepted them.</summary>
    Task PublishAsync(IReadOnlyList<TicketEvent> events, CancellationToken cancellationToken = default);

    /// <summary>
    /// Delivers events to <paramref name="handler"/> for one consumer group until cancelled. An event counts as
    /// consumed (committed) only after the handler returned; a handler that keeps failing is retried with backoff
    /// and after the configured number of attempts the event goes to the dead letters with its error.
    /// </summary>
    Task ConsumeAsync(string consumerGroup, Func<TicketEvent, CancellationToken, Task> handler, CancellationToken cancellationToken);

    /// <summary>
    /// Delivers <paramref name="ticketEvent"/> once more to <paramref name="consumerGroup"/> only (the replay of a
    /// dead letter); other groups skip it. It goes through the ticket's partition, so it queues behind that
    /// ticket's pending events.
    /// </summary>
    Task RedeliverAsync(TicketEvent ticketEvent, string consumerGroup, CancellationToken cancellationToken = default);
}
