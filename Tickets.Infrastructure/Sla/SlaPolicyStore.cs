using AspireTickets.Domain.Sla;
using AspireTickets.Domain.Storage;
using AspireTickets.Infrastructure.Caching;

namespace AspireTickets.Infrastructure.Sla;

/// <summary>
/// The stored SLA policies (document collection <c>sla_policies</c>, id <see cref="SlaPolicy.Id"/>). Every ticket
/// write reads them, so the whole set is cached and dropped from the cache on every change.
/// </summary>
public sealed class SlaPolicyStore(IDocumentStore documents, TicketsCache cache, TimeProvider time) : ISlaPolicySource
{
    public const string CollectionName = "sla_policies";
    public const string CacheArea = "sla-policies";
    private const string AllKey = "all";

    private IDocumentCollection<SlaPolicy> Collection => documents.Collection<SlaPolicy>(CollectionName);

    public async Task<IReadOnlyList<SlaPolicy>> GetPoliciesAsync(CancellationToken cancellationToken = default) =>
        await cache.GetOrCreateAsync(CacheArea, AllKey, async ct => (await Collection.ListAsync(limit: 10_000, newestFirst: false, cancellationToken: ct)).ToArray(),
            TimeSpan.FromMinutes(10), cancellationToken);

    public Task<SlaPolicy?> GetAsync(string id, CancellationToken cancellationToken = default) => Collection.GetAsync(id, cancellationToken);

    /// <summary>Stores a new policy; false when one for the same priority and category exists.</summary>
    public async Task<bool> TryCreateAsync(SlaPolicy policy, CancellationToken cancellationToken = default)
    {
        var created = await Collection.TryInsertAsync(Document(policy), cancellationToken);
        await InvalidateAsync(cancellationToken);
        return created;
    }

    public async Task UpsertAsync(SlaPolicy policy, CancellationToken cancellationToken = default)
    {
        await Collection.UpsertAsync(Document(policy), cancellationToken);
        await InvalidateAsync(cancellationToken);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        var deleted = await Collection.DeleteAsync(id, cancellationToken);
        await InvalidateAsync(cancellationToken);
        return deleted;
    }

    private StoredDocument<SlaPolicy> Document(SlaPolicy policy) => new(policy.Id, policy, time.GetUtcNow());

    private ValueTask InvalidateAsync(CancellationToken ct) => cache.RemoveAsync(CacheArea, AllKey, ct);
}
