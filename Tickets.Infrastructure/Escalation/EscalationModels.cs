using AspireTickets.Domain.Tickets;

namespace AspireTickets.Infrastructure.Escalation;

/// <summary>
/// One escalation of one ticket to one level (document collection <c>escalations</c>, id <c>{ticket}:{level}</c>).
/// The id is inserted before the ticket is touched; the insert succeeds once across all replicas and checks,
/// which is what makes "never twice for the same level" hold.
/// </summary>
public sealed record EscalationRecord
{
    public Guid TicketId { get; init; }
    public string Title { get; init; } = "";
    public int Level { get; init; }
    public IReadOnlyList<string> Audience { get; init; } = [];
    public string Reason { get; init; } = "";
    public DateTimeOffset? DueAt { get; init; }
    public TicketPriority PreviousPriority { get; init; }
    public TicketPriority Priority { get; init; }
    public DateTimeOffset At { get; init; }
    public int Notifications { get; init; }

    public static string IdFor(Guid ticketId, int level) => $"{ticketId:N}:{level}";
}

/// <summary>What one run of the check did; <see cref="Ran"/> is false when another replica held the lock.</summary>
public sealed record EscalationCheckResult(bool Ran, DateTimeOffset CheckedAt, int TicketsChecked, IReadOnlyList<EscalationRecord> Escalations);
