using System.Net;
using System.Net.Http.Json;
using AspireTickets.Api.Services;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Taxonomy;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Tests.Api;

/// <summary>Analytics numbers against expectations computed by hand from four tickets (see each comment).</summary>
public sealed class AnalyticsTests
{
    private static readonly DateTimeOffset Now = At("2026-03-02T09:00:00Z");

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    // T1: High bug, answered after 1 h, resolved after 4 h, resolution due after 2 h → breached.
    // T2: Medium bug created 23:30 UTC (00:30 in Berlin, next day), answered after 2 h, resolved after 10 h, due later → kept.
    // T3: Low account ticket in progress, first answer due 08:30, still unanswered at 09:00 → breached.
    // T4: Critical, no category, new, no SLA.
    private static readonly TicketFacts[] Facts =
    [
        new(Guid.NewGuid(), TicketStatus.Resolved, TicketPriority.High, "bug", At("2026-03-01T10:00:00Z"), At("2026-03-01T11:00:00Z"), At("2026-03-01T14:00:00Z"), null, At("2026-03-01T12:00:00Z")),
        new(Guid.NewGuid(), TicketStatus.Resolved, TicketPriority.Medium, "bug", At("2026-03-01T23:30:00Z"), At("2026-03-02T01:30:00Z"), At("2026-03-02T09:30:00Z"), null, At("2026-03-03T00:00:00Z")),
        new(Guid.NewGuid(), TicketStatus.InProgress, TicketPriority.Low, "account", At("2026-03-02T08:00:00Z"), null, null, At("2026-03-02T08:30:00Z"), null),
        new(Guid.NewGuid(), TicketStatus.New, TicketPriority.Critical, null, At("2026-03-03T12:00:00Z"), null, null, null, null),
    ];

    [Fact]
    public void Summary_counts_statuses_backlog_and_durations()
    {
        var summary = TicketAnalytics.Summary(Facts);
        Assert.Equal(4, summary.Total);
        Assert.Equal(2, summary.CountsByStatus[TicketStatus.Resolved]);
        Assert.Equal(1, summary.CountsByStatus[TicketStatus.InProgress]);
        Assert.Equal(1, summary.CountsByStatus[TicketStatus.New]);
        Assert.Equal(0, summary.CountsByStatus[TicketStatus.Closed]);
        Assert.Equal(2, summary.OpenBacklog);
        Assert.Equal((2, 1.5, 1.5), (summary.TimeToFirstResponse.Count, summary.TimeToFirstResponse.MedianHours, summary.TimeToFirstResponse.MeanHours));
        Assert.Equal((2, 7.0, 7.0), (summary.TimeToResolution.Count, summary.TimeToResolution.MedianHours, summary.TimeToResolution.MeanHours));
    }

    [Fact]
    public void Distributions_give_counts_and_shares()
    {
        var priority = TicketAnalytics.PriorityDistribution(Facts);
        Assert.All(priority, p => Assert.Equal((1, 0.25), (p.Count, p.Share)));

        var category = TicketAnalytics.CategoryDistribution(Facts, new TicketTaxonomy().Categories);
        Assert.Equal((2, 0.5), (category[0].Count, category[0].Share));
        Assert.Equal("bug", category[0].Key);
        Assert.Equal(1, category.Single(c => c.Key == "account").Count);
        Assert.Equal(1, category.Single(c => c.Key == TicketAnalytics.NoCategory).Count);
        Assert.Equal(0, category.Single(c => c.Key == "billing").Count);
    }

    [Fact]
    public void Daily_trends_follow_the_time_zone()
    {
        var utc = TicketAnalytics.Trends(Facts, new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 3), weekly: false, TimeZoneInfo.Utc);
        Assert.Equal([(2, 1), (1, 1), (1, 0)], utc.Points.Select(p => (p.Created, p.Resolved)));

        // In Berlin (UTC+1) T2 was created on March 2nd.
        var berlin = TicketAnalytics.Trends(Facts, new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 3), weekly: false, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        Assert.Equal([(1, 1), (2, 1), (1, 0)], berlin.Points.Select(p => (p.Created, p.Resolved)));
        Assert.Equal([new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 3)], berlin.Points.Select(p => p.PeriodStart));
    }

    [Fact]
    public void Weekly_trends_bucket_by_iso_week_starting_monday()
    {
        var weekly = TicketAnalytics.Trends(Facts, new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 3), weekly: true, TimeZoneInfo.Utc);
        Assert.Equal([(new DateOnly(2026, 2, 23), 2, 1), (new DateOnly(2026, 3, 2), 2, 1)], weekly.Points.Select(p => (p.PeriodStart, p.Created, p.Resolved)));
    }

    [Fact]
    public void Performance_gives_percentiles_and_breach_rate()
    {
        var report = TicketAnalytics.Performance(Facts, Now);
        Assert.Equal((1, 4.0, 4.0), Row(report.ByPriority, "High"));
        Assert.Equal((1, 10.0, 10.0), Row(report.ByPriority, "Medium"));
        Assert.Equal((0, 0.0, 0.0), Row(report.ByPriority, "Low"));
        Assert.Equal((2, 7.0, 9.4), Row(report.ByCategory, "bug"));
        Assert.Equal((3, 2), (report.SlaTracked, report.SlaBreached));
        Assert.Equal(2.0 / 3, report.SlaBreachRate, 6);

        static (int, double, double) Row(IEnumerable<AspireTickets.Api.Model.ResolutionPercentiles> rows, string key)
        {
            var row = rows.Single(r => r.Key == key);
            return (row.Count, row.P50Hours, row.P90Hours);
        }
    }

    [Fact]
    public void Percentiles_interpolate_linearly()
    {
        Assert.Equal(2.5, TicketAnalytics.Percentile([1, 2, 3, 4], 0.5), 9);
        Assert.Equal(3.7, TicketAnalytics.Percentile([1, 2, 3, 4], 0.9), 9);
        Assert.Equal(0, TicketAnalytics.Percentile([], 0.5));
    }

    [Fact]
    public void Empty_data_gives_zeros()
    {
        var summary = TicketAnalytics.Summary([]);
        Assert.Equal((0, 0, 0.0, 0.0), (summary.Total, summary.OpenBacklog, summary.TimeToResolution.MedianHours, summary.TimeToFirstResponse.MeanHours));
        var performance = TicketAnalytics.Performance([], Now);
        Assert.Equal((0, 0, 0.0), (performance.SlaTracked, performance.SlaBreached, performance.SlaBreachRate));
        Assert.All(TicketAnalytics.PriorityDistribution([]), p => Assert.Equal((0, 0.0), (p.Count, p.Share)));
    }

    [Fact]
    public async Task Endpoints_answer_zeros_on_an_empty_store_and_count_created_tickets()
    {
        await using var app = new TicketsAppFactory();
        var client = app.CreateApiClient();
        var ct = TestContext.Current.CancellationToken;

        foreach (var path in new[] { "summary", "priority", "category", "performance", "trends?interval=week&timeZone=Europe/Berlin" })
        {
            var response = await client.GetAsync($"/api/analytics/{path}", ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var empty = await (await client.GetAsync("/api/analytics/summary", ct)).ReadJsonAsync();
        Assert.Equal(0, empty.GetProperty("total").GetInt32());
        Assert.Equal(0, empty.GetProperty("timeToResolution").GetProperty("medianHours").GetDouble());

        await client.PostAsJsonAsync("/api/tickets", new { title = "Counted", priority = "High" }, ct);
        var trends = await (await client.GetAsync("/api/analytics/trends?from=2026-03-01&to=2026-03-02", ct)).ReadJsonAsync();
        var points = trends.GetProperty("points").EnumerateArray().Select(p => (p.GetProperty("periodStart").GetString(), p.GetProperty("created").GetInt32())).ToList();
        Assert.Equal([("2026-03-01", 0), ("2026-03-02", 1)], points);
        var priority = await (await client.GetAsync("/api/analytics/priority", ct)).ReadJsonAsync();
        Assert.Contains(priority.EnumerateArray(), p => p.GetProperty("key").GetString() == "High" && p.GetProperty("count").GetInt32() == 1);
    }
}
