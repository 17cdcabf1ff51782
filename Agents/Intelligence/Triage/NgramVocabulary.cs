using System.Runtime.InteropServices;
using AspireTickets.Agents.Intelligence.Text;

namespace AspireTickets.Agents.Intelligence.Triage;

/// <summary>
/// TF-IDF over word n-grams and word-bounded character n-grams of one text field, the way the small-data text
/// classification literature does it and ML.NET's text featurizer cannot: term frequency is sublinear
/// (1 + ln tf, so a word pasted fifty times in a log is not fifty times the evidence), and character n-grams
/// stay inside words (" crash", "ashes ") instead of spanning word gaps. The word and character parts are
/// each L2-normalized and weighted so the field's vector has unit length.
/// N-grams are keyed by a 64-bit hash of their characters (no strings kept); the vocabulary and the IDF
/// come from the rows given to <see cref="Fit"/> only.
/// </summary>
public sealed class NgramVocabulary
{
    // Seeds keep word n-grams of each length and character n-grams apart in the one key space.
    private const ulong CharSeed = 0xC4A2;

    private readonly Dictionary<ulong, int> _index;
    private readonly float[] _idf;

    private NgramVocabulary(NgramSpec spec, Dictionary<ulong, int> index, float[] idf)
    {
        Spec = spec;
        _index = index;
        _idf = idf;
    }

    public NgramSpec Spec { get; }

    /// <summary>Number of features (n-grams kept).</summary>
    public int Count => _idf.Length;

    /// <summary>Keeps the n-grams that occur in at least <see cref="NgramSpec.MinDocumentFrequency"/> of the texts.</summary>
    public static NgramVocabulary Fit(IReadOnlyList<string> texts, NgramSpec spec)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(spec);
        var documentFrequency = new Dictionary<ulong, int>();
        var counts = new Dictionary<ulong, int>();
        foreach (var text in texts)
        {
            counts.Clear();
            CountNgrams(text, spec, counts);
            foreach (var key in counts.Keys)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(documentFrequency, key, out _)++;
            }
        }

        // Ordered by key so that the same rows always give the same feature indices.
        var kept = documentFrequency.Where(p => p.Value >= spec.MinDocumentFrequency).OrderBy(p => p.Key).ToList();
        var index = new Dictionary<ulong, int>(kept.Count);
        var idf = new float[kept.Count];
        for (var i = 0; i < kept.Count; i++)
        {
            index[kept[i].Key] = i;
            // Smoothed IDF (as if one more document held every n-gram): never zero, never infinite.
            idf[i] = (float)(Math.Log((1.0 + texts.Count) / (1.0 + kept[i].Value)) + 1);
        }

        return new NgramVocabulary(spec, index, idf);
    }

    /// <summary>Appends the text's weighted features, at <paramref name="offset"/> + feature index, to <paramref name="features"/>.</summary>
    public void Featurize(string text, int offset, float weight, List<KeyValuePair<int, float>> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var counts = new Dictionary<ulong, int>();
        CountNgrams(text, Spec with { CharNgramMax = 0 }, counts);
        Append(counts, offset, Spec.CharNgramMax > 0 ? weight * MathF.Sqrt(0.5f) : weight, features);
        if (Spec.CharNgramMax > 0)
        {
            counts.Clear();
            CountNgrams(text, Spec with { WordNgrams = 0 }, counts);
            Append(counts, offset, weight * MathF.Sqrt(0.5f), features);
        }
    }

    public void Save(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Spec.WordNgrams);
        writer.Write(Spec.CharNgramMin);
        writer.Write(Spec.CharNgramMax);
        writer.Write(Spec.MinDocumentFrequency);
        writer.Write(Spec.SublinearTf);
        writer.Write(_idf.Length);
        foreach (var (key, i) in _index.OrderBy(p => p.Value))
        {
            writer.Write(key);
            writer.Write(_idf[i]);
        }
    }

    public static NgramVocabulary Load(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var spec = new NgramSpec
        {
            WordNgrams = reader.ReadInt32(),
            CharNgramMin = reader.ReadInt32(),
            CharNgramMax = reader.ReadInt32(),
            MinDocumentFrequency = reader.ReadInt32(),
            SublinearTf = reader.ReadBoolean(),
        };
        var count = reader.ReadInt32();
        var index = new Dictionary<ulong, int>(count);
        var idf = new float[count];
        for (var i = 0; i < count; i++)
        {
            index[reader.ReadUInt64()] = i;
            idf[i] = reader.ReadSingle();
        }

        return new NgramVocabulary(spec, index, idf);
    }

    private void Append(Dictionary<ulong, int> counts, int offset, float weight, List<KeyValuePair<int, float>> features)
    {
        var start = features.Count;
        var squares = 0.0;
        foreach (var (key, count) in counts)
        {
            if (_index.TryGetValue(key, out var i))
            {
                var value = (Spec.SublinearTf ? 1 + MathF.Log(count) : count) * _idf[i];
                features.Add(new(offset + i, value));
                squares += value * value;
            }
        }

        if (squares > 0)
        {
            var scale = weight / (float)Math.Sqrt(squares);
            for (var k = start; k < features.Count; k++)
            {
                features[k] = new(features[k].Key, features[k].Value * scale);
            }
        }
    }

    /// <summary>Counts the n-grams of <paramref name="text"/>: words are maximal runs of letters and digits.</summary>
    private static void CountNgrams(string text, NgramSpec spec, Dictionary<ulong, int> counts)
    {
        var words = Tokenizer.WordSpans(text);
        for (var w = 0; w < words.Count; w++)
        {
            // Word n-grams ending at word w.
            for (var n = 1; n <= spec.WordNgrams && w - n + 1 >= 0; n++)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(counts, NgramHash(text, words, w - n + 1, w), out _)++;
            }

            if (spec.CharNgramMax > 0)
            {
                CountCharNgrams(text.AsSpan(words[w].Start, words[w].Length), spec, counts);
            }
        }
    }

    private static ulong NgramHash(string text, List<(int Start, int Length)> words, int from, int to)
    {
        var hash = (ulong)(to - from + 1);
        for (var k = from; k <= to; k++)
        {
            hash = StableHash.Hash(text.AsSpan(words[k].Start, words[k].Length), hash);
        }

        return hash;
    }

    private static void CountCharNgrams(ReadOnlySpan<char> word, NgramSpec spec, Dictionary<ulong, int> counts)
    {
        // The word padded with a space on each side marks where it begins and ends.
        Span<char> padded = stackalloc char[Math.Min(word.Length, 64) + 2];
        padded[0] = ' ';
        word[..(padded.Length - 2)].CopyTo(padded[1..]);
        padded[^1] = ' ';
        for (var n = spec.CharNgramMin; n <= spec.CharNgramMax; n++)
        {
            if (padded.Length <= n)
            {
                // Shorter than n: the whole padded word once (and no longer n-grams).
                CollectionsMarshal.GetValueRefOrAddDefault(counts, StableHash.Hash(padded, CharSeed), out _)++;
                break;
            }

            for (var i = 0; i + n <= padded.Length; i++)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(counts, StableHash.Hash(padded.Slice(i, n), CharSeed), out _)++;
            }
        }
    }

}

/// <summary>What <see cref="NgramVocabulary"/> counts.</summary>
public sealed record NgramSpec
{
    /// <summary>Longest word n-gram (1 = bag of words, 0 = no words).</summary>
    public int WordNgrams { get; init; } = 2;

    /// <summary>Shortest character n-gram within a word (padded by a space on each side).</summary>
    public int CharNgramMin { get; init; } = 3;

    /// <summary>Longest character n-gram (0 = none).</summary>
    public int CharNgramMax { get; init; } = 5;

    /// <summary>N-grams seen in fewer training texts than this are dropped: they cannot generalize and cost memory.</summary>
    public int MinDocumentFrequency { get; init; } = 1;

    public bool SublinearTf { get; init; } = true;
}
