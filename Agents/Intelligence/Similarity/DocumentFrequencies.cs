namespace AspireTickets.Agents.Intelligence.Similarity;

/// <summary>
/// Document frequencies of hashed features, learned from the indexed corpus. Features are counted in a
/// 2^20 bucket space (far larger than the embedding) so that collisions barely blur the statistics.
/// </summary>
public sealed class DocumentFrequencies
{
    public const int BucketBits = 20;
    public const int BucketMask = (1 << BucketBits) - 1;

    private readonly int[] _counts = new int[1 << BucketBits];
    private readonly Lock _gate = new();

    public int Documents { get; private set; }

    /// <summary>Counts each distinct feature of one document once.</summary>
    public void Add(IEnumerable<ulong> distinctFeatureHashes) => Adjust(distinctFeatureHashes, +1);

    /// <summary>Undoes <see cref="Add"/> for a document that left the corpus.</summary>
    public void Remove(IEnumerable<ulong> distinctFeatureHashes) => Adjust(distinctFeatureHashes, -1);

    /// <summary>Smoothed IDF, ln((N + 1) / (df + 1)) + 1: 1 for an empty corpus, always positive.</summary>
    public float Idf(ulong featureHash)
    {
        var df = _counts[(int)(featureHash & BucketMask)];
        return (float)(Math.Log((Documents + 1.0) / (df + 1.0)) + 1.0);
    }

    public void Save(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        lock (_gate)
        {
            writer.Write(Documents);
            var nonZero = _counts.Count(c => c != 0);
            writer.Write(nonZero);
            for (var i = 0; i < _counts.Length; i++)
            {
                if (_counts[i] != 0)
                {
                    writer.Write(i);
                    writer.Write(_counts[i]);
                }
            }
        }
    }

    public static DocumentFrequencies Load(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        var frequencies = new DocumentFrequencies { Documents = reader.ReadInt32() };
        var nonZero = reader.ReadInt32();
        for (var i = 0; i < nonZero; i++)
        {
            var bucket = reader.ReadInt32();
            frequencies._counts[bucket] = reader.ReadInt32();
        }

        return frequencies;
    }

    private void Adjust(IEnumerable<ulong> hashes, int delta)
    {
        lock (_gate)
        {
            foreach (var hash in hashes)
            {
                _counts[(int)(hash & BucketMask)] += delta;
            }

            Documents += delta;
        }
    }
}
