namespace AspireTickets.Domain.Similarity;

/// <summary>
/// Nearest-neighbour search over ticket embeddings: a dense vector (cosine via dot product of
/// L2-normalized vectors) and an optional sparse term vector (lexical weights) per point.
/// Adapters: in-process (embedded run) and Qdrant (distributed run).
/// </summary>
public interface IVectorIndex
{
    /// <summary>Width every dense vector must have.</summary>
    int Dimensions { get; }

    /// <summary>How many points the index holds (asynchronous: for a remote index this is a request).</summary>
    ValueTask<long> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces the point with the record's id.</summary>
    ValueTask UpsertAsync(VectorRecord record, CancellationToken cancellationToken = default);

    /// <summary>Removes a point; false when there was none.</summary>
    ValueTask<bool> DeleteAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>
    /// The best <see cref="VectorSearch.TopK"/> points passing the filter, best first. With both a dense and a
    /// sparse query the order is by the sum of the two scores; each hit reports both so callers can fuse them
    /// their own way.
    /// </summary>
    ValueTask<IReadOnlyList<VectorHit>> SearchAsync(VectorSearch query, CancellationToken cancellationToken = default);
}

/// <summary>A sparse vector: strictly increasing indices and their values.</summary>
public sealed record SparseVector(int[] Indices, float[] Values)
{
    public static SparseVector Empty { get; } = new([], []);

    public float Dot(SparseVector other)
    {
        ArgumentNullException.ThrowIfNull(other);
        float sum = 0;
        int i = 0, j = 0;
        while (i < Indices.Length && j < other.Indices.Length)
        {
            var a = Indices[i];
            var b = other.Indices[j];
            if (a == b)
            {
                sum += Values[i++] * other.Values[j++];
            }
            else if (a < b)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return sum;
    }

    /// <summary>Builds a sparse vector from unordered (index, value) pairs, summing repeated indices.</summary>
    public static SparseVector From(IEnumerable<KeyValuePair<int, float>> entries)
    {
        var merged = new SortedDictionary<int, float>();
        foreach (var (index, value) in entries)
        {
            merged[index] = merged.GetValueOrDefault(index) + value;
        }

        return new SparseVector([.. merged.Keys], [.. merged.Values]);
    }
}

public sealed record VectorRecord(
    Guid Id,
    ReadOnlyMemory<float> Dense,
    SparseVector? Sparse = null,
    IReadOnlyDictionary<string, string>? Payload = null);

/// <summary>Points must carry every <see cref="Match"/> key with that exact value and not be excluded.</summary>
public sealed record VectorFilter(
    IReadOnlyDictionary<string, string>? Match = null,
    IReadOnlyCollection<Guid>? ExcludeIds = null);

public sealed record VectorSearch(
    ReadOnlyMemory<float> Dense,
    SparseVector? Sparse = null,
    VectorFilter? Filter = null,
    int TopK = 10);

public sealed record VectorHit(Guid Id, double DenseScore, double SparseScore, IReadOnlyDictionary<string, string> Payload)
{
    public double Score => DenseScore + SparseScore;
}
