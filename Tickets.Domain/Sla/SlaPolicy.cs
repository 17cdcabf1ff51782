using AspireTickets.Domain.Tickets;

namespace AspireTickets.Domain.Sla;

/// <summary>
/// The promise made for tickets of one priority (and optionally one category): the working time until the
/// first response and until the resolution. Without a calendar the clock runs around the clock.
/// </summary>
public sealed class SlaPolicy
{
    public TicketPriority Priority { get; set; }

    /// <summary>When set, the policy applies only to this category and wins over the priority's general policy.</summary>
    public string? Category { get; set; }

    public TimeSpan FirstResponse { get; set; }
    public TimeSpan Resolution { get; set; }
    public BusinessCalendar? Calendar { get; set; }

    /// <summary>The stored key: <c>critical</c>, or <c>critical.billing</c> for a category policy.</summary>
    public string Id => KeyFor(Priority, Category);

    public static string KeyFor(TicketPriority priority, string? category) =>
        string.IsNullOrWhiteSpace(category)
            ? priority.ToString().ToLowerInvariant()
            : $"{priority.ToString().ToLowerInvariant()}.{category.Trim().ToLowerInvariant()}";

    /// <summary>The targets used when no policy is stored for a priority.</summary>
    public static IReadOnlyList<SlaPolicy> Defaults { get; } =
    [
        new() { Priority = TicketPriority.Critical, FirstResponse = TimeSpan.FromMinutes(15), Resolution = TimeSpan.FromHours(4) },
        new() { Priority = TicketPriority.High, FirstResponse = TimeSpan.FromHours(1), Resolution = TimeSpan.FromDays(1) },
        new() { Priority = TicketPriority.Medium, FirstResponse = TimeSpan.FromHours(4), Resolution = TimeSpan.FromDays(3) },
        new() { Priority = TicketPriority.Low, FirstResponse = TimeSpan.FromDays(1), Resolution = TimeSpan.FromDays(7) },
    ];

    public static SlaPolicy DefaultFor(TicketPriority priority) => Defaults.First(p => p.Priority == priority);
}
