using AspireTickets.Agents.Intelligence.Similarity;
using AspireTickets.Domain.Privacy;
using AspireTickets.Domain.Similarity;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Agents.Similarity;

/// <summary>What the agents remember about an indexed ticket: enough to cite it, link it and learn from it.</summary>
public sealed record IndexedTicket(
    Guid Id,
    string Title,
    string Description,
    TicketStatus Status,
    string? Category,
    TicketPriority Priority,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ResolvedAt,
    Guid? DuplicateOf,
    IReadOnlyList<string> Resolution,
    long Version)
{
    public bool IsResolved => Status is TicketStatus.Resolved or TicketStatus.Closed && Resolution.Count > 0;

    public TimeSpan? TimeToResolve => ResolvedAt is { } resolved && resolved >= CreatedAt ? resolved - CreatedAt : null;

    public static IndexedTicket From(Ticket ticket) => new(
        ticket.Id,
        ticket.Title,
        ticket.Description,
        ticket.Status,
        ticket.Category,
        ticket.Priority,
        ticket.CreatedAt,
        ticket.ResolvedAt,
        ticket.DuplicateOf,
        ResolutionOf(ticket),
        ticket.Version);

    /// <summary>
    /// The answers that resolved a ticket: the last public comments by someone other than the reporter, PII-masked
    /// because they are quoted to other customers.
    /// </summary>
    public static IReadOnlyList<string> ResolutionOf(Ticket ticket)
    {
        if (ticket.Status is not (TicketStatus.Resolved or TicketStatus.Closed))
        {
            return [];
        }
        return [.. ticket.Comments
            .Where(c => c.IsPublic && !IsReporter(ticket, c.Author) && !string.IsNullOrWhiteSpace(c.Text))
            .OrderByDescending(c => c.CreatedAt)
            .Take(2)
            .Reverse()
            .Select(c => PiiDetector.Mask(c.Text.Trim()))];
    }

    private static bool IsReporter(Ticket ticket, string author) =>
        ticket.Reporter is { } r &&
        (string.Equals(r.Email, author, StringComparison.OrdinalIgnoreCase) || string.Equals(r.Name, author, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// The similarity index of all non-archived tickets, kept up to date from ticket events, built from the store at
/// start and saved under the data folder (<c>agents/similarity</c>) so the next start only re-embeds what changed.
/// Dense vectors go to the registered <see cref="IVectorIndex"/>: in-process (saved with the snapshot) in the embedded
/// run, Qdrant when <c>ConnectionStrings:qdrant_http</c> is set.
/// </summary>
public sealed class TicketSimilarityIndex(Microsoft.Extensions.Options.IOptions<Workflow.AgentsOptions> options, IVectorIndex vectors)
{
    private SimilarityCorpus<IndexedTicket> _corpus = new(vectors: vectors) { CandidatePool = Pool(options) };

    public int Count => _corpus.Count;

    public SimilarityCorpus<IndexedTicket> Corpus => _corpus;

    public DuplicateFusion Fusion => _corpus.Fusion;

    public IndexedTicket? Get(Guid id) => _corpus.Get(id);

    public void Upsert(Ticket ticket)
    {
        if (ticket.IsArchived)
        {
            _corpus.Remove(ticket.Id);
            return;
        }
        var entry = IndexedTicket.From(ticket);
        var known = _corpus.Get(ticket.Id);
        if (known is not null && known.Title == entry.Title && known.Description == entry.Description)
        {
            _corpus.Replace(ticket.Id, entry);
        }
        else
        {
            _corpus.Upsert(ticket.Id, ticket.Title, ticket.Description, entry);
        }
    }

    public bool Remove(Guid id) => _corpus.Remove(id);

    public IReadOnlyList<SimilarEntry<IndexedTicket>> FindSimilar(string title, string? description, int topK, Guid? exclude = null, Func<IndexedTicket, bool>? where = null) =>
        _corpus.Find(title, description, topK, exclude is { } id ? [id] : null, where);

    public float[] Embed(string text) => _corpus.Embed(text);

    /// <summary>
    /// Loads the saved index (if any) and reconciles it with the store: tickets whose version changed are
    /// re-indexed, new ones added, archived or deleted ones dropped. Returns how many tickets were (re)embedded.
    /// </summary>
    public async Task<int> SyncFromStoreAsync(ITicketStore store, string? snapshotDirectory, CancellationToken ct)
    {
        if (snapshotDirectory is not null && await SimilarityCorpus<IndexedTicket>.LoadAsync(snapshotDirectory, Text, ct: ct, vectors: vectors) is { } loaded)
        {
            loaded.CandidatePool = Pool(options);
            _corpus = loaded;
        }

        var seen = new HashSet<Guid>();
        var embedded = 0;
        for (var page = 1; ; page++)
        {
            var result = await store.QueryAsync(new TicketQuery { Page = page, PageSize = TicketQuery.MaxPageSize, SortBy = TicketSortField.Created, Descending = false }, ct);
            foreach (var ticket in result.Items)
            {
                seen.Add(ticket.Id);
                if (_corpus.Get(ticket.Id) is { } known && known.Version == ticket.Version)
                {
                    continue;
                }
                Upsert(ticket);
                embedded++;
            }
            if (result.Items.Count < TicketQuery.MaxPageSize)
            {
                break;
            }
        }
        foreach (var stale in _corpus.Snapshot().Where(e => !seen.Contains(e.Id)))
        {
            _corpus.Remove(stale.Id);
        }
        return embedded;
    }

    public Task SaveAsync(string directory, CancellationToken ct) => _corpus.SaveAsync(directory, ct);

    private static (Guid, string, string?) Text(IndexedTicket t) => (t.Id, t.Title, t.Description);

    private static int? Pool(Microsoft.Extensions.Options.IOptions<Workflow.AgentsOptions> options) =>
        options.Value.Similarity.CandidatePool > 0 ? options.Value.Similarity.CandidatePool : null;
}
