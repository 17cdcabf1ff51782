using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Taxonomy;
using AspireTickets.Infrastructure.Caching;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace AspireTickets.Infrastructure.Taxonomy;

/// <summary>The taxonomy a lead saved, with who saved it and when (document <c>taxonomy/current</c>).</summary>
public sealed class StoredTaxonomyDocument
{
    public List<string> Categories { get; set; } = [];
    public string UpdatedBy { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>The cached read: a record, so that "nothing stored yet" is cached as well.</summary>
public sealed record CachedTaxonomy(StoredTaxonomyDocument? Document);

/// <summary>One save of the taxonomy, kept so that leads can see who changed it from what (collection <c>taxonomy_history</c>).</summary>
public sealed class TaxonomyChange
{
    public List<string> Before { get; set; } = [];
    public List<string> After { get; set; } = [];
    public string UpdatedBy { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// The stored taxonomy layered over configuration (<c>Tickets:Taxonomy</c>). It keeps the last stored value in memory,
/// post-configures <see cref="TicketTaxonomy"/> with it and fires the options change token when it changes, so every
/// <see cref="IOptionsMonitor{TicketTaxonomy}"/> consumer (ticket validation, SLA policies, the agents' triage, the Web
/// through the Api) sees a save without a restart.
/// </summary>
public sealed class StoredTaxonomy(IDocumentStore documents, TicketsCache cache, ILogger<StoredTaxonomy> logger)
    : IPostConfigureOptions<TicketTaxonomy>, IOptionsChangeTokenSource<TicketTaxonomy>
{
    public const string CollectionName = "taxonomy";
    public const string HistoryCollectionName = "taxonomy_history";
    public const string CurrentId = "current";

    // Long: a save removes the Redis copy at once; the expiry only bounds a copy a failed removal left behind.
    private static readonly TimeSpan CacheExpiration = TimeSpan.FromMinutes(10);

    private readonly Lock _gate = new();
    private CancellationTokenSource _changed = new();
    private StoredTaxonomyDocument? _current;

    private IDocumentCollection<StoredTaxonomyDocument> Collection => documents.Collection<StoredTaxonomyDocument>(CollectionName);

    private IDocumentCollection<TaxonomyChange> History => documents.Collection<TaxonomyChange>(HistoryCollectionName);

    /// <summary>The last stored value this process has seen; null while only configuration applies.</summary>
    public StoredTaxonomyDocument? Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    string IOptionsChangeTokenSource<TicketTaxonomy>.Name => Options.DefaultName;

    public IChangeToken GetChangeToken()
    {
        lock (_gate)
        {
            return new CancellationChangeToken(_changed.Token);
        }
    }

    public void PostConfigure(string? name, TicketTaxonomy options)
    {
        if (name == Options.DefaultName && Current is { } stored)
        {
            options.Categories = [.. stored.Categories];
        }
    }

    /// <summary>
    /// Reads the stored value (from Redis when the distributed run has it, so the replicas' periodic re-reads do not
    /// all go to the database); consumers are told only when it differs from what they have.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        var cached = await cache.GetOrCreateAsync(TicketsCache.TaxonomyArea, CurrentId,
            async ct => new CachedTaxonomy(await Collection.GetAsync(CurrentId, ct)), CacheExpiration, cancellationToken, local: false);
        Apply(cached.Document);
    }

    /// <summary>Stores a new taxonomy, records the change and applies it in this process at once.</summary>
    public async Task<StoredTaxonomyDocument> SaveAsync(IReadOnlyList<string> categories, IReadOnlyList<string> before, string actor, DateTimeOffset at,
        CancellationToken cancellationToken = default)
    {
        var document = new StoredTaxonomyDocument { Categories = [.. categories], UpdatedBy = actor, UpdatedAt = at };
        await Collection.UpsertAsync(new StoredDocument<StoredTaxonomyDocument>(CurrentId, document, at), cancellationToken);
        await History.UpsertAsync(new StoredDocument<TaxonomyChange>(Guid.CreateVersion7().ToString("N"),
            new TaxonomyChange { Before = [.. before], After = [.. categories], UpdatedBy = actor, UpdatedAt = at }, at), cancellationToken);
        await cache.RemoveAsync(TicketsCache.TaxonomyArea, CurrentId, cancellationToken);
        Apply(document);
        logger.LogInformation("Taxonomy saved by {Actor}: {Categories}", actor, string.Join(", ", categories));
        return document;
    }

    /// <summary>The saves, newest first.</summary>
    public Task<IReadOnlyList<TaxonomyChange>> GetHistoryAsync(int limit, CancellationToken cancellationToken = default) =>
        History.ListAsync(limit: limit, cancellationToken: cancellationToken);

    private void Apply(StoredTaxonomyDocument? document)
    {
        CancellationTokenSource fired;
        lock (_gate)
        {
            if (Same(_current, document))
            {
                return;
            }
            _current = document;
            fired = _changed;
            _changed = new CancellationTokenSource();
        }
        // Outside the lock: OptionsMonitor's callback re-reads the options, which calls PostConfigure and GetChangeToken.
        // Not disposed: a consumer may still register on its token, which must then run at once rather than throw.
        fired.Cancel();
    }

    private static bool Same(StoredTaxonomyDocument? a, StoredTaxonomyDocument? b) =>
        a is null || b is null
            ? a is null && b is null
            : a.UpdatedAt == b.UpdatedAt && a.UpdatedBy == b.UpdatedBy && a.Categories.SequenceEqual(b.Categories, StringComparer.Ordinal);
}
