namespace AspireTickets.Agents.Intelligence.Similarity;

/// <summary>BM25 parameters. Defaults are the textbook ones (Robertson &amp; Zaragoza 2009).</summary>
public sealed record Bm25Options
{
    /// <summary>Term-frequency saturation.</summary>
    public double K1 { get; init; } = 1.2;

    /// <summary>Document-length normalization (0 = none, 1 = full).</summary>
    public double B { get; init; } = 0.75;
}

/// <summary>
/// Okapi BM25 over an incremental inverted index: documents can be added, replaced and removed at any
/// time, and corpus statistics (N, document frequencies, average length) follow immediately.
/// IDF is the non-negative form ln(1 + (N − n + 0.5) / (n + 0.5)) used by Lucene, so a term that occurs in
/// most documents still counts a little instead of subtracting.
/// Documents get a dense integer number (reused after removal), so postings, lengths and the per-query score
/// accumulators are keyed by small ints and arrays rather than by hashing the caller's key for every posting read.
/// Not safe for writes during reads: callers serialize changes against searches (searches may run in parallel).
/// </summary>
public sealed class Bm25Index<TKey> where TKey : notnull
{
    /// <summary>Per-thread score accumulator indexed by document number, reset after each query (only touched slots).</summary>
    [ThreadStatic]
    private static double[]? t_accumulator;

    private readonly Dictionary<string, Dictionary<int, int>> _postings = new(StringComparer.Ordinal);
    private readonly Dictionary<TKey, int> _numbers = [];
    private readonly List<TKey> _keys = [];
    private readonly List<Dictionary<string, int>?> _documents = [];
    private readonly List<int> _lengths = [];
    private readonly Stack<int> _free = new();
    private long _totalLength;

    public Bm25Index(Bm25Options? options = null) => Options = options ?? new Bm25Options();

    public Bm25Options Options { get; }

    public int Count => _numbers.Count;

    public double AverageLength => _numbers.Count == 0 ? 0 : (double)_totalLength / _numbers.Count;

    /// <summary>Adds a document, replacing any earlier one with the same key.</summary>
    public void Upsert(TKey key, IEnumerable<string> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        Remove(key);
        var frequencies = new Dictionary<string, int>(StringComparer.Ordinal);
        var length = 0;
        foreach (var term in terms)
        {
            frequencies[term] = frequencies.GetValueOrDefault(term) + 1;
            length++;
        }

        int number;
        if (_free.TryPop(out number))
        {
            _keys[number] = key;
            _documents[number] = frequencies;
            _lengths[number] = length;
        }
        else
        {
            number = _keys.Count;
            _keys.Add(key);
            _documents.Add(frequencies);
            _lengths.Add(length);
        }

        _numbers[key] = number;
        _totalLength += length;
        foreach (var (term, tf) in frequencies)
        {
            if (!_postings.TryGetValue(term, out var posting))
            {
                posting = [];
                _postings[term] = posting;
            }

            posting[number] = tf;
        }
    }

    public bool Remove(TKey key)
    {
        if (!_numbers.Remove(key, out var number))
        {
            return false;
        }

        _totalLength -= _lengths[number];
        foreach (var term in _documents[number]!.Keys)
        {
            var posting = _postings[term];
            posting.Remove(number);
            if (posting.Count == 0)
            {
                _postings.Remove(term);
            }
        }

        _documents[number] = null;
        _keys[number] = default!;
        _free.Push(number);
        return true;
    }

    public int DocumentFrequency(string term) => _postings.TryGetValue(term, out var p) ? p.Count : 0;

    public double Idf(string term) => Idf(DocumentFrequency(term));

    /// <summary>
    /// BM25 of every document that shares a term with the query. A term repeated in the query counts once
    /// per occurrence, as in the original formulation (query-term frequency folded in linearly).
    /// </summary>
    public Dictionary<TKey, double> Score(IEnumerable<string> queryTerms)
    {
        var accumulator = Accumulator();
        var touched = new List<int>();
        foreach (var (term, queryFrequency) in CountTerms(queryTerms))
        {
            if (_postings.TryGetValue(term, out var posting))
            {
                Accumulate(posting, queryFrequency, accumulator, touched);
            }
        }

        var scores = new Dictionary<TKey, double>(touched.Count);
        foreach (var number in touched)
        {
            scores[_keys[number]] = accumulator[number];
            accumulator[number] = 0;
        }

        return scores;
    }

    /// <summary>
    /// The largest BM25 any document could reach for this query (every term saturated: tf → ∞ in a
    /// zero-length document gives idf·(k1+1)). Dividing by it maps a score into [0, 1] for fusion.
    /// </summary>
    public double UpperBound(IEnumerable<string> queryTerms)
    {
        var bound = 0.0;
        foreach (var (term, queryFrequency) in CountTerms(queryTerms))
        {
            if (_postings.TryGetValue(term, out var posting))
            {
                bound += queryFrequency * Idf(posting.Count) * (Options.K1 + 1);
            }
        }

        return bound;
    }

    /// <summary>
    /// Exact BM25 of at most <paramref name="limit"/> documents, chosen without walking the long posting lists: documents
    /// are first ranked by the query's rarest terms (rarest first, until about <c>8 × limit</c> postings were read), then
    /// the best <paramref name="limit"/> are scored on every query term. A document that shares the query's rare terms,
    /// as a duplicate does, is always among them; the cost no longer grows with the corpus.
    /// </summary>
    public Dictionary<TKey, double> TopCandidates(IEnumerable<string> queryTerms, int limit)
    {
        var counts = CountTerms(queryTerms);
        var budget = Math.Max(limit * 8, 1024);
        var present = new List<(Dictionary<int, int> Posting, int QueryFrequency)>(counts.Count);
        var weights = new Dictionary<string, double>(counts.Count, StringComparer.Ordinal);
        foreach (var (term, queryFrequency) in counts)
        {
            if (_postings.TryGetValue(term, out var posting))
            {
                present.Add((posting, queryFrequency));
                weights[term] = queryFrequency * Idf(posting.Count);
            }
        }

        // Rarest first; a stable sort keeps the query's term order among equally rare terms.
        var rarest = present.ToArray();
        var order = new int[rarest.Length];
        var sizes = new int[rarest.Length];
        for (var i = 0; i < rarest.Length; i++)
        {
            order[i] = i;
            sizes[i] = rarest[i].Posting.Count;
        }

        Array.Sort(order, (a, b) => sizes[a] != sizes[b] ? sizes[a].CompareTo(sizes[b]) : a.CompareTo(b));
        var accumulator = Accumulator();
        var touched = new List<int>(Math.Min(budget * 2, Count));
        var read = 0;
        foreach (var i in order)
        {
            var (posting, queryFrequency) = rarest[i];
            if (read > 0 && read + posting.Count > budget)
            {
                break;
            }

            read += posting.Count;
            Accumulate(posting, queryFrequency, accumulator, touched);
        }

        var chosen = touched.Count > limit ? Best(touched, accumulator, limit) : [.. touched];
        foreach (var number in touched)
        {
            accumulator[number] = 0;
        }

        // Exact scores from each chosen document's own (small) term table: probing the query's long posting lists for
        // a few hundred documents would be a cache miss per probe.
        var averageLength = Math.Max(AverageLength, 1e-9);
        var scores = new Dictionary<TKey, double>(chosen.Length);
        foreach (var number in chosen)
        {
            var score = 0.0;
            foreach (var (term, tf) in _documents[number]!)
            {
                if (weights.TryGetValue(term, out var weight))
                {
                    score += weight * TermScore(1, tf, _lengths[number], averageLength);
                }
            }

            scores[_keys[number]] = score;
        }

        return scores;
    }

    /// <summary>The <paramref name="limit"/> best partial scores, ties in the order the rarest terms found them.</summary>
    private static int[] Best(List<int> touched, double[] accumulator, int limit)
    {
        var ranked = new (double NegativeScore, int Touched)[touched.Count];
        for (var i = 0; i < ranked.Length; i++)
        {
            ranked[i] = (-accumulator[touched[i]], i);
        }

        Array.Sort(ranked);
        var best = new int[limit];
        for (var i = 0; i < limit; i++)
        {
            best[i] = touched[ranked[i].Touched];
        }

        return best;
    }

    private void Accumulate(Dictionary<int, int> posting, int queryFrequency, double[] accumulator, List<int> touched)
    {
        var idf = Idf(posting.Count);
        var averageLength = Math.Max(AverageLength, 1e-9);
        foreach (var (number, tf) in posting)
        {
            var before = accumulator[number];
            if (before == 0)
            {
                touched.Add(number);
            }

            accumulator[number] = before + (queryFrequency * TermScore(idf, tf, _lengths[number], averageLength));
        }
    }

    private double TermScore(double idf, int tf, int length, double averageLength)
    {
        var norm = Options.K1 * (1 - Options.B + (Options.B * length / averageLength));
        return idf * (tf * (Options.K1 + 1)) / (tf + norm);
    }

    private double Idf(int documentFrequency) => Math.Log(1 + ((Count - documentFrequency + 0.5) / (documentFrequency + 0.5)));

    private double[] Accumulator()
    {
        var accumulator = t_accumulator;
        if (accumulator is null || accumulator.Length < _keys.Count)
        {
            accumulator = new double[Math.Max(_keys.Count * 2, 1024)];
            t_accumulator = accumulator;
        }

        return accumulator;
    }

    private static Dictionary<string, int> CountTerms(IEnumerable<string> terms)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var term in terms)
        {
            counts[term] = counts.GetValueOrDefault(term) + 1;
        }

        return counts;
    }
}
