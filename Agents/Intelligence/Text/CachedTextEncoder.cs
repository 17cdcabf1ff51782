using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace AspireTickets.Agents.Intelligence.Text;

/// <summary>
/// Remembers vectors by a 128-bit hash of their text. Encoding is the costly part of triage with an encoder, and the
/// same texts come back: a retrain encodes its history for the held-out judgement and again for the refit, the
/// category and the priority model read the same ticket, and cross-validation trains on each row several times.
/// Bounded: when full it starts over, which costs one re-encoding of what is still needed.
/// </summary>
public sealed class CachedTextEncoder(ITextEncoder inner, int capacity = 20_000) : ITextEncoder
{
    private ConcurrentDictionary<UInt128, float[]> _vectors = new();

    public string Name => inner.Name;

    public int Dimension => inner.Dimension;

    public int Count => _vectors.Count;

    public float[][] Encode(IReadOnlyList<string> texts, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var vectors = _vectors;
        var result = new float[texts.Count][];
        var keys = new UInt128[texts.Count];
        var missing = new Dictionary<UInt128, string>();
        for (var i = 0; i < texts.Count; i++)
        {
            keys[i] = XxHash128.HashToUInt128(MemoryMarshal.AsBytes(texts[i].AsSpan()));
            if (vectors.TryGetValue(keys[i], out var vector))
            {
                result[i] = vector;
            }
            else
            {
                missing.TryAdd(keys[i], texts[i]);
            }
        }

        if (missing.Count == 0)
        {
            return result;
        }

        var encoded = inner.Encode([.. missing.Values], ct);
        var fresh = new Dictionary<UInt128, float[]>(missing.Count);
        var k = 0;
        foreach (var key in missing.Keys)
        {
            fresh[key] = encoded[k++];
        }

        if (vectors.Count + fresh.Count > capacity)
        {
            vectors = new ConcurrentDictionary<UInt128, float[]>();
            _vectors = vectors;
        }

        foreach (var (key, vector) in fresh)
        {
            vectors[key] = vector;
        }

        for (var i = 0; i < texts.Count; i++)
        {
            result[i] ??= fresh[keys[i]];
        }

        return result;
    }
}
