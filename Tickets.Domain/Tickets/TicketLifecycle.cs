namespace AspireTickets.Domain.Tickets;

/// <summary>The allowed status transitions. Every status change in the product goes through <see cref="CanMove"/>.</summary>
public static class TicketLifecycle
{
    private static readonly Dictionary<TicketStatus, TicketStatus[]> Allowed = new()
    {
        [TicketStatus.New] = [TicketStatus.Triaged, TicketStatus.InProgress, TicketStatus.Waiting, TicketStatus.Resolved, TicketStatus.Closed, TicketStatus.Duplicate],
        [TicketStatus.Triaged] = [TicketStatus.InProgress, TicketStatus.Waiting, TicketStatus.Resolved, TicketStatus.Closed, TicketStatus.Duplicate],
        [TicketStatus.InProgress] = [TicketStatus.Waiting, TicketStatus.Resolved, TicketStatus.Closed, TicketStatus.Duplicate],
        [TicketStatus.Waiting] = [TicketStatus.InProgress, TicketStatus.Resolved, TicketStatus.Closed],
        // A resolved ticket is reopened when the customer says it is not fixed.
        [TicketStatus.Resolved] = [TicketStatus.Closed, TicketStatus.InProgress],
        [TicketStatus.Closed] = [TicketStatus.InProgress],
        // A wrongly linked duplicate can be taken back into work.
        [TicketStatus.Duplicate] = [TicketStatus.Triaged, TicketStatus.InProgress, TicketStatus.Closed],
    };

    public static bool CanMove(TicketStatus from, TicketStatus to) =>
        from == to || (Allowed.TryGetValue(from, out var targets) && Array.IndexOf(targets, to) >= 0);

    public static IReadOnlyList<TicketStatus> NextStatuses(TicketStatus from) =>
        Allowed.TryGetValue(from, out var targets) ? targets : [];

    /// <summary>Open tickets count towards the backlog and are subject to SLA clocks.</summary>
    public static bool IsOpen(TicketStatus status) =>
        status is TicketStatus.New or TicketStatus.Triaged or TicketStatus.InProgress or TicketStatus.Waiting;
}
