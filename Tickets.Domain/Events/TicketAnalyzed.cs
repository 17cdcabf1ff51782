using AspireTickets.Domain.Tickets;

namespace AspireTickets.Domain.Events;

/// <summary><c>ticket.analyzed</c>: the agents' workflow run <see cref="RunId"/> saved its analysis on the ticket.</summary>
public sealed record TicketAnalyzed(
    Guid RunId,
    string? Category,
    TicketPriority? Priority,
    double Confidence,
    Guid? DuplicateOf,
    bool Suggestion,
    bool? QualityPassed) : ITicketEventData
{
    public static string EventType => TicketEventTypes.Analyzed;
}
