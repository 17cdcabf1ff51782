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
    // Writers (upsert, remove, refresh) run one at a time under the async gate, because they await the vector index.
    // The lexical index, texts and IDF statistics change only inside the write lock and are read under the read
    // lock, which searches share: searches run in parallel with each other and never wait for a vector-index call.
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);

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

    public int Count => Read(() => _texts.Count);

    /// <summary>The embedding of a text under the current IDF statistics (what a search compares against).</summary>
    public float[] Embed(string text) => Read(() => Embedder.Embed(text));

    /// <summary>Indexes (or re-indexes) a ticket. Its text also joins the embedder's IDF statistics.</summary>
    public async Task UpsertAsync(Guid id, string title, string? description, CancellationToken cancellationToken = default)
    {
        var text = Compose(title, description);
        var terms = LexicalTerms(title, description);
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            var vector = Write(() =>
            {
                if (_texts.TryGetValue(id, out var previous))
                {
                    Embedder.Forget(previous);
                }

                _texts[id] = text;
                _lexical.Upsert(id, terms);
                Embedder.Observe(text);
                return Embedder.Embed(text);
            });
            await _vectors.UpsertAsync(new VectorRecord(id, vector), cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task RemoveAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            var removed = Write(() =>
            {
                if (!_texts.Remove(id, out var text))
                {
                    return false;
                }

                Embedder.Forget(text);
                _lexical.Remove(id);
                return true;
            });
            if (removed)
            {
                await _vectors.DeleteAsync(id, cancellationToken);
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Re-embeds every indexed ticket with the current IDF statistics. Embeddings made while the corpus
    /// was small weigh words by a young IDF; call this after a bulk load or now and then.
    /// </summary>
    public async Task RefreshEmbeddingsAsync(CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            // Only writers change the texts and statistics, and they wait for this gate: reading without the lock is safe.
            foreach (var (id, text) in _texts)
            {
                await _vectors.UpsertAsync(new VectorRecord(id, Embedder.Embed(text)), cancellationToken);
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>The best candidates for a ticket with this text, best first, with their fused scores.</summary>
    /// <param name="candidatePool">
    /// When set and the corpus is larger, only this many lexical candidates (<see cref="Bm25Index{TKey}.TopCandidates"/>)
    /// are scored densely instead of every point. A ticket with no informative word in common cannot reach a duplicate
    /// threshold anyway (its fused score is at most half the dense share), so what this gives up is only the tail of the
    /// "similar" list; what it buys is a search cost that does not grow with the corpus.
    /// </param>
    public async Task<IReadOnlyList<DuplicateMatch>> FindAsync(
        string title,
        string? description,
        int topK = 10,
        IReadOnlyCollection<Guid>? exclude = null,
        CancellationToken cancellationToken = default,
        int? candidatePool = null)
    {
        var queryTerms = LexicalTerms(title, description);
        var text = Compose(title, description);
        // The inverted index and the IDF statistics are read under the read lock (shared with other searches); the
        // vector search runs outside it, so a slow remote index never holds up indexing.
        var (query, lexical, bound, pooled, count) = Read(() =>
        {
            var pooled = candidatePool is { } pool && _texts.Count > pool;
            return (
                Embedder.Embed(text),
                pooled ? _lexical.TopCandidates(queryTerms, candidatePool!.Value) : _lexical.Score(queryTerms),
                _lexical.UpperBound(queryTerms),
                pooled,
                _texts.Count);
        });
        // Exact dense scores for every point (or every pooled candidate): the fusion needs both signals for each
        // candidate, and in-process search over the contiguous buffer is cheap at help-desk scale.
        var filter = pooled
            ? new VectorFilter(ExcludeIds: exclude, OnlyIds: lexical.Keys)
            : exclude is null ? null : new VectorFilter(ExcludeIds: exclude);
        var dense = await _vectors.SearchAsync(
            new VectorSearch(query, Filter: filter, TopK: Math.Max(pooled ? lexical.Count : count, 1)),
            cancellationToken);

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

    /// <summary>
    /// Re-registers a ticket whose vector and IDF contribution were loaded from a saved index (no re-embedding):
    /// only the lexical index and the text are rebuilt, which is what makes loading a saved index fast.
    /// </summary>
    public async Task RestoreAsync(Guid id, string title, string? description, CancellationToken cancellationToken = default)
    {
        var text = Compose(title, description);
        var terms = LexicalTerms(title, description);
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            Write(() =>
            {
                _texts[id] = text;
                _lexical.Upsert(id, terms);
                return true;
            });
        }
        finally
        {
            _writeGate.Release();
        }
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

    private TResult Read<TResult>(Func<TResult> read)
    {
        _lock.EnterReadLock();
        try
        {
            return read();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private TResult Write<TResult>(Func<TResult> write)
    {
        _lock.EnterWriteLock();
        try
        {
            return write();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }
}
