using System.Diagnostics.Metrics;
using AspireTickets.Domain.Diagnostics;

namespace AspireTickets.Infrastructure.Caching;

/// <summary>
/// The operations instruments on the product's Meter: escalations, notification deliveries and cache lookups
/// (with the running hit ratio, which is what a dashboard wants to plot).
/// </summary>
public sealed class OperationsMetrics
{
    private readonly Counter<long> _escalated;
    private readonly Counter<long> _notificationsSent;
    private readonly Counter<long> _notificationsFailed;
    private readonly Counter<long> _cacheRequests;
    private long _cacheHits;
    private long _cacheLookups;

    public OperationsMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(TicketsTelemetry.MeterName);
        _escalated = meter.CreateCounter<long>("tickets.escalated", "{ticket}", "Escalations made, by level");
        _notificationsSent = meter.CreateCounter<long>("tickets.notifications.sent", "{notification}", "Notifications delivered, by channel kind");
        _notificationsFailed = meter.CreateCounter<long>("tickets.notifications.failed", "{notification}", "Failed delivery attempts, by channel kind; final=true when no retry is left");
        _cacheRequests = meter.CreateCounter<long>("tickets.cache.requests", "{request}", "Cache lookups, by area and result (hit or miss)");
        meter.CreateObservableGauge("tickets.cache.hit_ratio", () => HitRatio, "1", "Share of cache lookups answered from the cache since start");
    }

    public double HitRatio
    {
        get
        {
            var lookups = Interlocked.Read(ref _cacheLookups);
            return lookups == 0 ? 0 : (double)Interlocked.Read(ref _cacheHits) / lookups;
        }
    }

    public void Escalated(int level) => _escalated.Add(1, new KeyValuePair<string, object?>("level", level));

    public void NotificationSent(string kind) => _notificationsSent.Add(1, new KeyValuePair<string, object?>("channel.kind", kind));

    public void NotificationFailed(string kind, bool final) =>
        _notificationsFailed.Add(1, new KeyValuePair<string, object?>("channel.kind", kind), new KeyValuePair<string, object?>("final", final));

    public void CacheLookup(string area, bool hit)
    {
        Interlocked.Increment(ref _cacheLookups);
        if (hit)
        {
            Interlocked.Increment(ref _cacheHits);
        }
        _cacheRequests.Add(1, new KeyValuePair<string, object?>("cache.area", area), new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));
    }
}
