namespace AspireTickets.Domain.Events;

/// <summary><c>ticket.created</c>: a new ticket, from any source.</summary>
public sealed record TicketCreated(TicketEventFacts Facts) : ITicketEventData
{
    public static string EventType => TicketEventTypes.Created;
}
