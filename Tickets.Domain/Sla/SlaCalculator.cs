using AspireTickets.Domain.Tickets;

namespace AspireTickets.Domain.Sla;

/// <summary>Where the SLA policies come from (stored and cached by the infrastructure).</summary>
public interface ISlaPolicySource
{
    /// <summary>The stored policies; the defaults fill in for priorities without one.</summary>
    Task<IReadOnlyList<SlaPolicy>> GetPoliciesAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// Sets a ticket's SLA due times from the policy that applies to it. Every writer that creates a ticket calls
/// <see cref="ApplyToNewAsync"/>, and every writer that edits one calls <see cref="FollowChangesAsync"/> before
/// storing (Api commands, ingestion updates, the workflow's update step), so due times never go stale whoever
/// changed the ticket. The one exception is the escalation raising the priority; see <see cref="EscalationLadder"/>.
/// </summary>
public sealed class SlaCalculator(ISlaPolicySource policies)
{
    /// <summary>Policy for (priority, category), else for the priority, else the default.</summary>
    public static SlaPolicy Select(IReadOnlyList<SlaPolicy> stored, TicketPriority priority, string? category) =>
        (category is null ? null : stored.FirstOrDefault(p => p.Priority == priority && string.Equals(p.Category, category, StringComparison.OrdinalIgnoreCase)))
        ?? stored.FirstOrDefault(p => p.Priority == priority && string.IsNullOrWhiteSpace(p.Category))
        ?? SlaPolicy.DefaultFor(priority);

    /// <summary>Due times measured from the ticket's creation in the policy's working time.</summary>
    public static SlaDueTimes Compute(SlaPolicy policy, DateTimeOffset createdAt) =>
        new()
        {
            FirstResponseDueAt = Add(policy, createdAt, policy.FirstResponse),
            ResolutionDueAt = Add(policy, createdAt, policy.Resolution),
        };

    public async Task<SlaDueTimes> ComputeAsync(Ticket ticket, CancellationToken cancellationToken = default)
    {
        var stored = await policies.GetPoliciesAsync(cancellationToken);
        return Compute(Select(stored, ticket.Priority, ticket.Category), ticket.CreatedAt);
    }

    /// <summary>Sets the due times of a new ticket (no audit: they are part of its creation).</summary>
    public async Task ApplyToNewAsync(Ticket ticket, CancellationToken cancellationToken = default) =>
        ticket.Sla = await ComputeAsync(ticket, cancellationToken);

    /// <summary>The fields the policy is chosen by: a change to either can move the due times.</summary>
    public static bool ChoosesPolicy(string field) => field is "priority" or "category";

    /// <summary>
    /// When the edit changed the priority or the category, recomputes the due times from the ticket's creation under
    /// the policy that matches now (audited through the editor). A ticket created at 09:00 as Medium and made Critical
    /// at 10:00 is due at 13:00, as if it had been filed Critical: the promise is about the ticket, not the edit.
    /// </summary>
    /// <returns>Whether the policy fields changed (the due times may still be the same).</returns>
    public async Task<bool> FollowChangesAsync(TicketEditor editor, CancellationToken cancellationToken = default)
    {
        if (!editor.Audit.Any(a => ChoosesPolicy(a.Field)))
        {
            return false;
        }
        await ApplyAsync(editor, cancellationToken);
        return true;
    }

    /// <summary>Recomputes the due times through the editor, so a change is audited.</summary>
    public async Task ApplyAsync(TicketEditor editor, CancellationToken cancellationToken = default)
    {
        var due = await ComputeAsync(editor.Ticket, cancellationToken);
        editor.SetSlaDueTimes(due.FirstResponseDueAt, due.ResolutionDueAt);
    }

    private static DateTimeOffset Add(SlaPolicy policy, DateTimeOffset start, TimeSpan target) =>
        policy.Calendar is { } calendar ? calendar.Add(start, target) : start + target;
}
