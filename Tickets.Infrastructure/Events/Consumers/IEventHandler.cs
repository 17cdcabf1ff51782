using AspireTickets.Domain.Events;

namespace AspireTickets.Infrastructure.Events.Consumers;

/// <summary>
/// Reacts to events of the log for one consumer group (register with <c>AddEventHandler&lt;T&gt;(group)</c>).
/// Resolved in a DI scope per event. Throwing means "try again"; after the configured attempts the event is
/// dead-lettered. Must be idempotent: delivery is at least once, and the processed-id guard cannot cover a
/// crash between a handler's success and its being remembered.
/// </summary>
public interface IEventHandler
{
    Task HandleAsync(TicketEvent ticketEvent, CancellationToken cancellationToken);
}

/// <summary>One handler type for one consumer group, optionally only for some event types.</summary>
public sealed record EventHandlerRegistration(string ConsumerGroup, Type HandlerType, IReadOnlySet<string> EventTypes)
{
    public bool Handles(string eventType) => EventTypes.Count == 0 || EventTypes.Contains(eventType);
}
