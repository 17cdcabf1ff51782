using AspireTickets.Domain.Tickets;

namespace AspireTickets.Ingestion.Pipeline;

/// <summary>A source item normalized to the ticket shape, before enrichment.</summary>
public sealed record IncomingTicket
{
    public required string Source { get; init; }

    /// <summary>Unique across sources (<c>jira:PROJ-12</c>); the idempotency key.</summary>
    public required string SourceKey { get; init; }
    public required string Title { get; init; }
    public string Description { get; init; } = "";
    public TicketPriority Priority { get; init; } = TicketPriority.Medium;
    public Person? Reporter { get; init; }
    public string? Organization { get; init; }
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>When the customer raised it at the source; SLA clocks start here, not when we heard of it.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Facts the source states outright (Sentry's stack frames) that text extraction could not recover.</summary>
    public IReadOnlyList<TextEntity> Entities { get; init; } = [];
}

/// <summary>
/// One thing a delivery asks for. The ticket is created when its source key is new; <see cref="Apply"/> then runs on
/// the new or the existing ticket (a status change, a comment), and must be idempotent: a re-delivery finds
/// nothing left to change, so nothing is written twice.
/// </summary>
public sealed record IngestItem(IncomingTicket Ticket, Action<TicketEditor>? Apply = null)
{
    /// <summary>What triggered it at the source (<c>jira:issue_updated</c>); the audit entries' reason.</summary>
    public string? Reason { get; init; }

    /// <summary>
    /// Source keys of tickets this item continues (an e-mail reply's thread). When one of them exists and the
    /// item's own key does not, only <see cref="ApplyToThread"/> runs on that ticket instead of creating a new one.
    /// </summary>
    public IReadOnlyList<string> ThreadKeys { get; init; } = [];
    public Action<TicketEditor>? ApplyToThread { get; init; }
}

public sealed record IngestOutcome(Guid TicketId, string SourceKey, bool Created, bool Updated);
