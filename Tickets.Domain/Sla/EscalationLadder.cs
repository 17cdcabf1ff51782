using AspireTickets.Domain.Tickets;

namespace AspireTickets.Domain.Sla;

/// <summary>
/// When an open ticket reaches each escalation level, from its SLA due times:
/// <list type="number">
/// <item>its next unmet due time (first response while none was given, else resolution) is past or near: the assignee and team are told;</item>
/// <item>its resolution due time is past or near: the lead is told and the priority goes up one step;</item>
/// <item>it is overdue for resolution by <see cref="AdminOverdueFraction"/> of its resolution target again: the admins are told.</item>
/// </list>
/// Due times are the promise made when the ticket was filed; the escalation does not move them when it raises the
/// priority, otherwise every raise would make the ticket look later still and cascade through the levels.
/// </summary>
public sealed record EscalationLadder
{
    public const int MaxLevel = 3;

    /// <summary>How long before a due time the ticket counts as near it (zero: only once it is past).</summary>
    public TimeSpan NearWindow { get; init; } = TimeSpan.Zero;

    /// <summary>Share of the resolution target (creation → resolution due) a ticket must be overdue by before admins are told.</summary>
    public double AdminOverdueFraction { get; init; } = 0.5;

    /// <summary>The highest level the ticket has reached at <paramref name="now"/> (0: none).</summary>
    public int LevelAt(Ticket ticket, DateTimeOffset now) =>
        LevelAt(ticket.Status, ticket.CreatedAt, ticket.FirstResponseAt, ticket.Sla.FirstResponseDueAt, ticket.Sla.ResolutionDueAt, now);

    public int LevelAt(
        TicketStatus status, DateTimeOffset createdAt, DateTimeOffset? firstResponseAt,
        DateTimeOffset? firstResponseDue, DateTimeOffset? resolutionDue, DateTimeOffset now)
    {
        if (!TicketLifecycle.IsOpen(status))
        {
            return 0;
        }
        var level = 0;
        var nextDue = firstResponseAt is null ? Earliest(firstResponseDue, resolutionDue) : resolutionDue;
        if (nextDue is { } due && Reached(due, now))
        {
            level = 1;
        }
        if (resolutionDue is { } resolution && Reached(resolution, now))
        {
            level = 2;
            var adminAt = resolution + ((resolution - createdAt) * AdminOverdueFraction);
            if (now > adminAt)
            {
                level = 3;
            }
        }
        return level;
    }

    /// <summary>Who is told at a level (a notification's audience).</summary>
    public static IReadOnlyList<string> AudienceOf(int level) => level switch
    {
        1 => [EscalationAudiences.Assignee, EscalationAudiences.Team],
        2 => [EscalationAudiences.Lead],
        _ => [EscalationAudiences.Admins],
    };

    /// <summary>The priority one step more urgent (Critical stays Critical).</summary>
    public static TicketPriority Raise(TicketPriority priority) =>
        priority == TicketPriority.Critical ? priority : priority + 1;

    private bool Reached(DateTimeOffset due, DateTimeOffset now) => now > due - NearWindow;

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : (a < b ? a : b);
}

public static class EscalationAudiences
{
    public const string Assignee = "assignee";
    public const string Team = "team";
    public const string Lead = "lead";
    public const string Admins = "admins";
}
