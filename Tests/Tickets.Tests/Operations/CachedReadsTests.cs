using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using AspireTickets.Domain.Diagnostics;
using AspireTickets.Tests.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace AspireTickets.Tests.Operations;

public sealed class CachedReadsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_analytics_summary_is_served_from_the_cache_until_a_write_drops_it()
    {
        await using var app = new TicketsAppFactory();
        var client = app.CreateApiClient();
        using var lookups = new MetricCollector<long>(app.Services.GetRequiredService<IMeterFactory>(), TicketsTelemetry.MeterName, "tickets.cache.requests");

        Assert.Equal(0, (await (await client.GetAsync("/api/analytics/summary", Ct)).ReadJsonAsync()).GetProperty("total").GetInt32());
        Assert.Equal(0, (await (await client.GetAsync("/api/analytics/summary", Ct)).ReadJsonAsync()).GetProperty("total").GetInt32());
        var analytics = lookups.GetMeasurementSnapshot().Where(m => (string?)m.Tags["cache.area"] == "analytics").Select(m => (string?)m.Tags["result"]).ToList();
        Assert.Equal(["miss", "hit"], analytics);

        await client.PostAsJsonAsync("/api/tickets", new { title = "Counted", priority = "High" }, Ct);
        var summary = await (await client.GetAsync("/api/analytics/summary", Ct)).ReadJsonAsync();
        Assert.Equal(1, summary.GetProperty("total").GetInt32());
        Assert.Equal(1, summary.GetProperty("countsByStatus").GetProperty("New").GetInt32());

        // Another range is another entry.
        var ranged = await (await client.GetAsync("/api/analytics/summary?from=2026-03-03&to=2026-03-04", Ct)).ReadJsonAsync();
        Assert.Equal(0, ranged.GetProperty("total").GetInt32());
    }
}
