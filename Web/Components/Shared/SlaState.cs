namespace AspireTickets.Web.Components.Shared;

using AspireTickets.Domain.Tickets;

/// <summary>Where an open ticket stands against its SLA: overdue (red), due within <see cref="DueSoonWindow"/> (amber), or fine.</summary>
public enum SlaLevel
{
    None,
    Ok,
    DueSoon,
    Overdue,
}

public static class SlaState
{
    public static readonly TimeSpan DueSoonWindow = TimeSpan.FromHours(4);

    /// <summary>The next deadline that still applies: first response until answered, then resolution.</summary>
    public static DateTimeOffset? NextDue(Ticket ticket) =>
        !TicketLifecycle.IsOpen(ticket.Status) ? null
        : new[] { ticket.FirstResponseAt is null ? ticket.Sla.FirstResponseDueAt : null, ticket.Sla.ResolutionDueAt }.Where(d => d is not null).Min();

    public static SlaLevel Of(Ticket ticket, DateTimeOffset now) => NextDue(ticket) switch
    {
        null => SlaLevel.None,
        { } due when due <= now => SlaLevel.Overdue,
        { } due when due - now <= DueSoonWindow => SlaLevel.DueSoon,
        _ => SlaLevel.Ok,
    };

    public static string Describe(Ticket ticket, DateTimeOffset now)
    {
        if (NextDue(ticket) is not { } due)
        {
            return "";
        }
        var left = due - now;
        return left <= TimeSpan.Zero ? $"overdue {Span(-left)}" : $"due in {Span(left)}";
    }

    public static string CssClass(SlaLevel level) => level switch
    {
        SlaLevel.Overdue => "sla-overdue",
        SlaLevel.DueSoon => "sla-due-soon",
        _ => "sla-ok",
    };

    private static string Span(TimeSpan t) => t.TotalDays >= 1 ? $"{(int)t.TotalDays}d {t.Hours}h" : t.TotalHours >= 1 ? $"{(int)t.TotalHours}h {t.Minutes}m" : $"{Math.Max(1, t.Minutes)}m";
}
