using AspireTickets.Agents.Intelligence.Text;
using AspireTickets.Domain.Similarity;

namespace AspireTickets.Agents.Intelligence.Similarity;

public sealed record DuplicateFinderOptions
{
    /// <summary>How many times the title's terms count in the lexical document: a title states the problem
    /// densely, while descriptions carry boilerplate (user agent, steps-to-reproduce headings).</summary>
    public int TitleWeight { get; init; } = 2;

    public Bm25Options Bm25 { get; init; } = new();

    public LocalEmbeddingOptions Embedding { get; init; } = new();

    public DuplicateFusion Fusion { get; init; } = DuplicateFusion.Default;

    /// <summary>Fused score from which a candidate counts as "very likely the same ticket".</summary>
    public double Threshold { get; init; } = 0.9;
}

public sealed record DuplicateMatch(Guid Id, double Score, double Lexical, double Dense)
{
    public bool IsLikelyDuplicate(double threshold) => Score >= threshold;
}

/// <summary>
/// Hybrid duplicate search: stemmed BM25 over an incremental inverted index plus local embeddings in an
/// <see cref="IVectorIndex"/>, fused into one calibrated score (<see cref="DuplicateFusion"/>).
/// </summary>
public sealed class DuplicateFinder
{
    private readonly IVectorIndex _vectors;
    private readonly Bm25Index<Guid> _lexical;
    private readonly Dictionary<Guid, string> _texts = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    public DuplicateFinder(IVectorIndex vectors, DuplicateFinderOptions? options = null, LocalEmbeddingGenerator? embedder = null)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        Options = options ?? new DuplicateFinderOptions();
        Embedder = embedder ?? new LocalEmbeddingGenerator(Options.Embedding);
        if (vectors.Dimensions != Embedder.Options.Dimensions)
        {
            throw new ArgumentException($"The vector index has {vectors.Dimensions} dimensions; the embedder produces {Embedder.Options.Dimensions}.", nameof(vectors));
        }

        _vectors = vectors;
        _lexical = new Bm25Index<Guid>(Options.Bm25);
    }

    public DuplicateFinderOptions Options { get; }

    public LocalEmbeddingGenerator Embedder { get; }

    public int Count => _texts.Count;

    /// <summary>Indexes (or re-indexes) a ticket. Its text also joins the embedder's IDF statistics.</summary>
    public async Task UpsertAsync(Guid id, string title, string? description, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var text = Compose(title, description);
            if (_texts.TryGetValue(id, out var previous))
            {
                Embedder.Forget(previous);
            }

            _texts[id] = text;
            _lexical.Upsert(id, LexicalTerms(title, description));
            Embedder.Observe(text);
            await _vectors.UpsertAsync(new VectorRecord(id, Embedder.Embed(text)), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task RemoveAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_texts.Remove(id, out var text))
            {
                Embedder.Forget(text);
                _lexical.Remove(id);
                await _vectors.DeleteAsync(id, cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Re-embeds every indexed ticket with the current IDF statistics. Embeddings made while the corpus
    /// was small weigh words by a young IDF; call this after a bulk load or now and then.
    /// </summary>
    public async Task RefreshEmbeddingsAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            foreach (var (id, text) in _texts)
            {
                await _vectors.UpsertAsync(new VectorRecord(id, Embedder.Embed(text)), cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The best candidates for a ticket with this text, best first, with their fused scores.</summary>
    public async Task<IReadOnlyList<DuplicateMatch>> FindAsync(
        string title,
        string? description,
        int topK = 10,
        IReadOnlyCollection<Guid>? exclude = null,
        CancellationToken cancellationToken = default)
    {
        var queryTerms = LexicalTerms(title, description);
        var query = Embedder.Embed(Compose(title, description));
        // The inverted index is not safe to read while a ticket is being indexed.
        await _gate.WaitAsync(cancellationToken);
        Dictionary<Guid, double> lexical;
        double bound;
        IReadOnlyList<VectorHit> dense;
        try
        {
            lexical = _lexical.Score(queryTerms);
            bound = _lexical.UpperBound(queryTerms);
            // Exact dense scores for every point: the fusion needs both signals for each candidate, and
            // in-process search over the contiguous buffer is cheap at help-desk scale.
            dense = await _vectors.SearchAsync(
                new VectorSearch(query, Filter: exclude is null ? null : new VectorFilter(ExcludeIds: exclude), TopK: Math.Max(_texts.Count, 1)),
                cancellationToken);
        }
        finally
        {
            _gate.Release();
        }

        var matches = new List<DuplicateMatch>(dense.Count);
        foreach (var hit in dense)
        {
            var lexicalScore = bound > 0 ? lexical.GetValueOrDefault(hit.Id) / bound : 0;
            var fused = Options.Fusion.Score(lexicalScore, hit.DenseScore);
            matches.Add(new DuplicateMatch(hit.Id, fused, lexicalScore, hit.DenseScore));
        }

        matches.Sort((a, b) =>
        {
            // Ranked by the combined score itself: the sigmoid saturates to 1.0 in double precision for the best matches.
            var byLinear = Options.Fusion.Combined(b.Lexical, b.Dense).CompareTo(Options.Fusion.Combined(a.Lexical, a.Dense));
            return byLinear != 0 ? byLinear : a.Id.CompareTo(b.Id);
        });
        return matches.Count > topK ? matches[..topK] : matches;
    }

    private List<string> LexicalTerms(string title, string? description)
    {
        var terms = new List<string>();
        var titleTerms = Tokenizer.StemmedTerms(title);
        for (var i = 0; i < Options.TitleWeight; i++)
        {
            terms.AddRange(titleTerms);
        }

        terms.AddRange(Tokenizer.StemmedTerms(description));
        return terms;
    }

    private static string Compose(string title, string? description) => $"{title}\n{description}";
}
