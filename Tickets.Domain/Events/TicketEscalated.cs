using AspireTickets.Domain.Tickets;

namespace AspireTickets.Domain.Events;

/// <summary><c>ticket.escalated</c>: the ticket reached escalation level <see cref="Level"/> (each level once).</summary>
public sealed record TicketEscalated(
    int Level,
    IReadOnlyList<string> Audience,
    string Reason,
    DateTimeOffset? DueAt,
    TicketPriority Priority,
    TicketPriority PreviousPriority) : ITicketEventData
{
    public static string EventType => TicketEventTypes.Escalated;
}
