namespace AspireTickets.Infrastructure.Escalation;

/// <summary>Section <c>Tickets:Escalation</c>.</summary>
public sealed class EscalationOptions
{
    public const string SectionName = "Tickets:Escalation";

    /// <summary>Whether this service runs the check on a schedule (the on-demand endpoint works either way).</summary>
    public bool Schedule { get; set; } = true;

    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long before a due time a ticket counts as near it; zero escalates only once it is past.</summary>
    public TimeSpan NearWindow { get; set; } = TimeSpan.Zero;

    /// <summary>Share of the resolution target a ticket must be overdue by before the admins are told.</summary>
    public double AdminOverdueFraction { get; set; } = 0.5;

    /// <summary>Lease of the check's lock; renewed while the check runs, so it only bounds how long a crashed replica blocks.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);
}
