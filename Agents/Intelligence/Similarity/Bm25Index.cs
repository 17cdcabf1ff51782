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
/// </summary>
public sealed class Bm25Index<TKey> where TKey : notnull
{
    private readonly Dictionary<string, Dictionary<TKey, int>> _postings = new(StringComparer.Ordinal);
    private readonly Dictionary<TKey, Dictionary<string, int>> _documents = [];
    private readonly Dictionary<TKey, int> _lengths = [];
    private long _totalLength;

    public Bm25Index(Bm25Options? options = null) => Options = options ?? new Bm25Options();

    public Bm25Options Options { get; }

    public int Count => _documents.Count;

    public double AverageLength => _documents.Count == 0 ? 0 : (double)_totalLength / _documents.Count;

    /// <summary>Adds a document, replacing any earlier one with the same key.</summary>
    public void Upsert(TKey key, IEnumerable<string> terms)
    {
        Remove(key);
        var frequencies = new Dictionary<string, int>(StringComparer.Ordinal);
        var length = 0;
        foreach (var term in terms)
        {
            frequencies[term] = frequencies.GetValueOrDefault(term) + 1;
            length++;
        }

        _documents[key] = frequencies;
        _lengths[key] = length;
        _totalLength += length;
        foreach (var (term, tf) in frequencies)
        {
            if (!_postings.TryGetValue(term, out var posting))
            {
                posting = [];
                _postings[term] = posting;
            }

            posting[key] = tf;
        }
    }

    public bool Remove(TKey key)
    {
        if (!_documents.Remove(key, out var frequencies))
        {
            return false;
        }

        _totalLength -= _lengths[key];
        _lengths.Remove(key);
        foreach (var term in frequencies.Keys)
        {
            var posting = _postings[term];
            posting.Remove(key);
            if (posting.Count == 0)
            {
                _postings.Remove(term);
            }
        }

        return true;
    }

    public int DocumentFrequency(string term) => _postings.TryGetValue(term, out var p) ? p.Count : 0;

    public double Idf(string term)
    {
        var n = DocumentFrequency(term);
        return Math.Log(1 + ((Count - n + 0.5) / (n + 0.5)));
    }

    /// <summary>
    /// BM25 of every document that shares a term with the query. A term repeated in the query counts once
    /// per occurrence, as in the original formulation (query-term frequency folded in linearly).
    /// </summary>
    public Dictionary<TKey, double> Score(IEnumerable<string> queryTerms)
    {
        var scores = new Dictionary<TKey, double>();
        var averageLength = Math.Max(AverageLength, 1e-9);
        var k1 = Options.K1;
        var b = Options.B;
        foreach (var (term, queryFrequency) in CountTerms(queryTerms))
        {
            if (!_postings.TryGetValue(term, out var posting))
            {
                continue;
            }

            var idf = Idf(term);
            foreach (var (key, tf) in posting)
            {
                var norm = k1 * (1 - b + (b * _lengths[key] / averageLength));
                var termScore = idf * (tf * (k1 + 1)) / (tf + norm);
                scores[key] = scores.GetValueOrDefault(key) + (queryFrequency * termScore);
            }
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
            if (_postings.ContainsKey(term))
            {
                bound += queryFrequency * Idf(term) * (Options.K1 + 1);
            }
        }

        return bound;
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
