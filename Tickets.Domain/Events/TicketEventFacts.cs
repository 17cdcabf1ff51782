using AspireTickets.Domain.Tickets;

namespace AspireTickets.Domain.Events;

/// <summary>
/// What an event may tell about the ticket itself. Events leave the process (Kafka, consumers in other services), so
/// this holds facts and masked text only: the source key and title masked, never the original title or description.
/// </summary>
public sealed record TicketEventFacts
{
    public required string Source { get; init; }
    public TicketPriority Priority { get; init; }
    public TicketStatus Status { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string? SourceKey { get; init; }
    public string? Title { get; init; }
    public string? MaskedText { get; init; }
    public string? Language { get; init; }
    public double? Sentiment { get; init; }

    /// <summary>The facts that are never personal data; a writer that masks text adds the masked fields with <c>with</c>.</summary>
    public static TicketEventFacts Of(Ticket ticket) => new()
    {
        Source = ticket.Source,
        Priority = ticket.Priority,
        Status = ticket.Status,
        CreatedAt = ticket.CreatedAt,
    };
}
