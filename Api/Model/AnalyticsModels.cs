using AspireTickets.Domain.Tickets;

namespace AspireTickets.Api.Model;

/// <summary>Durations are in hours; an empty data set gives zero counts and zero durations.</summary>
public sealed record DurationStats(int Count, double MedianHours, double MeanHours);

public sealed record AnalyticsSummary(
    int Total,
    IReadOnlyDictionary<TicketStatus, int> CountsByStatus,
    int OpenBacklog,
    DurationStats TimeToFirstResponse,
    DurationStats TimeToResolution);

public sealed record DistributionEntry(string Key, int Count, double Share);

public sealed record TrendPoint(DateOnly PeriodStart, int Created, int Resolved);

public sealed record TrendsReport(string Interval, string TimeZone, DateOnly From, DateOnly To, IReadOnlyList<TrendPoint> Points);

public sealed record ResolutionPercentiles(string Key, int Count, double P50Hours, double P90Hours);

public sealed record PerformanceReport(
    IReadOnlyList<ResolutionPercentiles> ByPriority,
    IReadOnlyList<ResolutionPercentiles> ByCategory,
    int SlaTracked,
    int SlaBreached,
    double SlaBreachRate);
