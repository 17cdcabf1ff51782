namespace AspireTickets.Agents.Intelligence.Text;

/// <summary>
/// FNV-1a over UTF-16 code units. string.GetHashCode is randomized per process, and hashed features
/// must mean the same bucket in every process that loads a saved model or index.
/// </summary>
public static class StableHash
{
    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    public static ulong Hash(ReadOnlySpan<char> text, ulong seed = 0)
    {
        var hash = OffsetBasis ^ seed;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= Prime;
        }

        // Final avalanche (from MurmurHash3's fmix64) so that low bits are usable as bucket indices.
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return hash;
    }
}
