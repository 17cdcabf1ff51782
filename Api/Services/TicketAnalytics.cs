using AspireTickets.Api.Model;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Api.Services;

/// <summary>
/// Computes the analytics reports from the store's ticket facts. Pure functions of the facts and "now",
/// so the numbers can be checked against hand-computed expectations.
/// </summary>
public static class TicketAnalytics
{
    public const string NoCategory = "(none)";

    public static AnalyticsSummary Summary(IReadOnlyList<TicketFacts> facts)
    {
        var counts = Enum.GetValues<TicketStatus>().ToDictionary(s => s, s => 0);
        foreach (var fact in facts)
        {
            counts[fact.Status]++;
        }
        return new AnalyticsSummary(
            facts.Count,
            counts,
            facts.Count(f => TicketLifecycle.IsOpen(f.Status)),
            Durations(facts.Where(f => f.FirstResponseAt is not null).Select(f => Hours(f.CreatedAt, f.FirstResponseAt!.Value))),
            Durations(facts.Where(f => f.ResolvedAt is not null).Select(f => Hours(f.CreatedAt, f.ResolvedAt!.Value))));
    }

    public static IReadOnlyList<DistributionEntry> PriorityDistribution(IReadOnlyList<TicketFacts> facts) =>
        Enum.GetValues<TicketPriority>()
            .Select(p => Entry(p.ToString(), facts.Count(f => f.Priority == p), facts.Count))
            .ToList();

    public static IReadOnlyList<DistributionEntry> CategoryDistribution(IReadOnlyList<TicketFacts> facts, IEnumerable<string> taxonomy)
    {
        // Every taxonomy category is listed (with zero) so charts keep a stable shape.
        var counts = taxonomy.ToDictionary(c => c, _ => 0, StringComparer.OrdinalIgnoreCase);
        foreach (var fact in facts)
        {
            var key = fact.Category ?? NoCategory;
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return counts
            .Select(c => Entry(c.Key, c.Value, facts.Count))
            .OrderByDescending(e => e.Count)
            .ThenBy(e => e.Key, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Created and resolved tickets per local day or ISO week (weeks start on Monday) in <paramref name="zone"/>,
    /// over the local dates <paramref name="from"/>..<paramref name="to"/> inclusive; empty periods are listed with zeros.
    /// </summary>
    public static TrendsReport Trends(IReadOnlyList<TicketFacts> facts, DateOnly from, DateOnly to, bool weekly, TimeZoneInfo zone)
    {
        var start = weekly ? StartOfWeek(from) : from;
        var points = new SortedDictionary<DateOnly, (int Created, int Resolved)>();
        for (var day = start; day <= to; day = day.AddDays(weekly ? 7 : 1))
        {
            points[day] = (0, 0);
        }

        DateOnly Period(DateTimeOffset time)
        {
            var local = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time, zone).DateTime);
            return weekly ? StartOfWeek(local) : local;
        }

        bool InRange(DateTimeOffset time)
        {
            var local = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time, zone).DateTime);
            return local >= from && local <= to;
        }

        foreach (var fact in facts)
        {
            if (InRange(fact.CreatedAt))
            {
                var key = Period(fact.CreatedAt);
                points[key] = (points[key].Created + 1, points[key].Resolved);
            }
            if (fact.ResolvedAt is { } resolved && InRange(resolved))
            {
                var key = Period(resolved);
                points[key] = (points[key].Created, points[key].Resolved + 1);
            }
        }

        return new TrendsReport(
            weekly ? "week" : "day",
            zone.Id,
            from,
            to,
            points.Select(p => new TrendPoint(p.Key, p.Value.Created, p.Value.Resolved)).ToList());
    }

    public static PerformanceReport Performance(IReadOnlyList<TicketFacts> facts, DateTimeOffset now)
    {
        var resolved = facts.Where(f => f.ResolvedAt is not null).ToList();
        var byPriority = Enum.GetValues<TicketPriority>()
            .Select(p => Percentiles(p.ToString(), resolved.Where(f => f.Priority == p)))
            .ToList();
        var byCategory = resolved
            .GroupBy(f => f.Category ?? NoCategory, StringComparer.OrdinalIgnoreCase)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Percentiles(g.Key, g))
            .ToList();

        var tracked = facts.Where(f => f.FirstResponseDueAt is not null || f.ResolutionDueAt is not null).ToList();
        var breached = tracked.Count(f => IsBreached(f, now));
        return new PerformanceReport(byPriority, byCategory, tracked.Count, breached, tracked.Count == 0 ? 0 : (double)breached / tracked.Count);
    }

    /// <summary>A ticket breaches its SLA when an answer or resolution came (or is still missing) after its due time.</summary>
    public static bool IsBreached(TicketFacts fact, DateTimeOffset now) =>
        (fact.FirstResponseDueAt is { } responseDue && (fact.FirstResponseAt ?? now) > responseDue)
        || (fact.ResolutionDueAt is { } resolutionDue && (fact.ResolvedAt ?? now) > resolutionDue);

    /// <summary>Linear-interpolated percentile (the "inclusive" definition: p50 of 1,2,3,4 is 2.5).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return 0;
        }
        var rank = p * (sorted.Count - 1);
        var lower = (int)Math.Floor(rank);
        var upper = (int)Math.Ceiling(rank);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (rank - lower));
    }

    private static ResolutionPercentiles Percentiles(string key, IEnumerable<TicketFacts> facts)
    {
        var hours = facts.Select(f => Hours(f.CreatedAt, f.ResolvedAt!.Value)).Order().ToList();
        return new ResolutionPercentiles(key, hours.Count, Round(Percentile(hours, 0.5)), Round(Percentile(hours, 0.9)));
    }

    private static DurationStats Durations(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0
            ? new DurationStats(0, 0, 0)
            : new DurationStats(sorted.Count, Round(Percentile(sorted, 0.5)), Round(sorted.Average()));
    }

    private static DistributionEntry Entry(string key, int count, int total) =>
        new(key, count, total == 0 ? 0 : Math.Round((double)count / total, 4));

    private static double Hours(DateTimeOffset from, DateTimeOffset to) => Math.Max(0, (to - from).TotalHours);

    private static double Round(double hours) => Math.Round(hours, 4);

    private static DateOnly StartOfWeek(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));
}
