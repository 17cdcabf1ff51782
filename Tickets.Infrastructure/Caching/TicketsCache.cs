using Microsoft.Extensions.Caching.Hybrid;

namespace AspireTickets.Infrastructure.Caching;

/// <summary>
/// The product's read cache: HybridCache (memory, plus Redis as the second level when <c>ConnectionStrings:cache</c>
/// is set) with every lookup counted as hit or miss per area. The local copy expires after a short time because
/// HybridCache does not tell other replicas about a removal; the Redis copy is removed at once.
/// </summary>
public sealed class TicketsCache(HybridCache cache, OperationsMetrics metrics)
{
    public static readonly TimeSpan DefaultLocalExpiration = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Analytics reports: dropped on every write through the API and kept at most <see cref="AnalyticsExpiration"/>,
    /// which bounds how stale they are after writes by other services (ingestion, agents).
    /// </summary>
    public const string AnalyticsArea = "analytics";

    public static readonly TimeSpan AnalyticsExpiration = TimeSpan.FromSeconds(30);

    /// <summary>The stored taxonomy: each process keeps its own copy (<c>StoredTaxonomy</c>), so only Redis is used.</summary>
    public const string TaxonomyArea = "taxonomy";

    /// <param name="local">
    /// False for values the caller already keeps in memory and re-reads on purpose: the read then goes to the second
    /// level (Redis) or the factory, never to a local copy that another replica's change cannot reach.
    /// </param>
    public async ValueTask<T> GetOrCreateAsync<T>(
        string area, string key, Func<CancellationToken, ValueTask<T>> factory, TimeSpan expiration, CancellationToken cancellationToken = default,
        bool local = true)
    {
        var missed = false;
        var value = await cache.GetOrCreateAsync(
            $"{area}:{key}",
            factory,
            async (f, ct) =>
            {
                missed = true;
                return await f(ct);
            },
            new HybridCacheEntryOptions
            {
                Expiration = expiration,
                LocalCacheExpiration = expiration < DefaultLocalExpiration ? expiration : DefaultLocalExpiration,
                Flags = local ? HybridCacheEntryFlags.None : HybridCacheEntryFlags.DisableLocalCache,
            },
            [area],
            cancellationToken);
        metrics.CacheLookup(area, hit: !missed);
        return value;
    }

    public ValueTask RemoveAsync(string area, string key, CancellationToken cancellationToken = default) =>
        cache.RemoveAsync($"{area}:{key}", cancellationToken);

    /// <summary>Drops every entry of an area (all analytics summaries after a ticket write, for example).</summary>
    public ValueTask RemoveAreaAsync(string area, CancellationToken cancellationToken = default) =>
        cache.RemoveByTagAsync(area, cancellationToken);
}
