using AspireTickets.Agents.Intelligence.Text;
using Microsoft.Extensions.AI;

namespace AspireTickets.Agents.Intelligence.Similarity;

public sealed record LocalEmbeddingOptions
{
    /// <summary>Embedding width. 1024 keeps hash collisions rare for ticket-sized texts and search cheap.</summary>
    public int Dimensions { get; init; } = 1024;

    /// <summary>Share of the stemmed-word (unigram + bigram) block; the rest is character n-grams.</summary>
    public float WordWeight { get; init; } = 0.6f;

    public int MinCharGram { get; init; } = 3;

    public int MaxCharGram { get; init; } = 5;
}

/// <summary>
/// A local embedder that needs no download: a TF-IDF vector of stemmed words, word bigrams and character
/// n-grams (which catch misspellings, inflections and identifiers such as "nsIFoo" vs "foo"), folded into a
/// fixed width by signed feature hashing (Weinberger et al. 2009) and L2-normalized, so the dot product of
/// two embeddings is their cosine similarity. Term frequency is sublinear (1 + ln tf) so that one pasted log
/// does not drown the rest, and IDF comes from the documents passed to <see cref="Observe"/>.
/// Deterministic: the same text and corpus statistics always give the same vector.
/// </summary>
public sealed class LocalEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private const ulong CharSeed = 0x9E3779B97F4A7C15UL;
    private const ulong BigramSeed = 0xC2B2AE3D27D4EB4FUL;

    private readonly EmbeddingGeneratorMetadata _metadata;

    public LocalEmbeddingGenerator(LocalEmbeddingOptions? options = null, DocumentFrequencies? frequencies = null)
    {
        Options = options ?? new LocalEmbeddingOptions();
        Frequencies = frequencies ?? new DocumentFrequencies();
        _metadata = new EmbeddingGeneratorMetadata("local-hashed-tfidf", defaultModelId: ModelId, defaultModelDimensions: Options.Dimensions);
    }

    public string ModelId => $"hashed-tfidf-w{Options.WordWeight:0.##}-c{Options.MinCharGram}{Options.MaxCharGram}-d{Options.Dimensions}";

    public LocalEmbeddingOptions Options { get; }

    public DocumentFrequencies Frequencies { get; }

    /// <summary>Adds a document of the indexed corpus to the IDF statistics.</summary>
    public void Observe(string text)
    {
        var features = Features(text);
        Frequencies.Add(features.Words.Keys.Concat(features.Chars.Keys));
    }

    /// <summary>Removes a document that left the corpus from the IDF statistics.</summary>
    public void Forget(string text)
    {
        var features = Features(text);
        Frequencies.Remove(features.Words.Keys.Concat(features.Chars.Keys));
    }

    public float[] Embed(string text)
    {
        var features = Features(text);
        var vector = new float[Options.Dimensions];
        AddBlock(vector, features.Words, Options.WordWeight);
        AddBlock(vector, features.Chars, 1 - Options.WordWeight);
        var norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(vector));
        if (norm > 0)
        {
            System.Numerics.Tensors.TensorPrimitives.Divide(vector, norm, vector);
        }

        return vector;
    }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            result.Add(new Embedding<float>(Embed(value)) { ModelId = ModelId, CreatedAt = DateTimeOffset.UtcNow });
        }

        return Task.FromResult(result);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            return _metadata;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
    }

    // Each block is L2-normalized on its own before weighting, so the weights are the blocks' shares of
    // the cosine whatever the text length (char n-grams would otherwise outnumber words ~10:1).
    private void AddBlock(float[] vector, Dictionary<ulong, int> counts, float weight)
    {
        if (counts.Count == 0 || weight <= 0)
        {
            return;
        }

        var block = new float[vector.Length];
        foreach (var (hash, tf) in counts)
        {
            var value = (1 + MathF.Log(tf)) * Frequencies.Idf(hash);
            var index = (int)((hash >> DocumentFrequencies.BucketBits) % (ulong)vector.Length);
            block[index] += (hash >> 63) == 0 ? value : -value;
        }

        var norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(block));
        if (norm > 0)
        {
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(block, weight / norm, vector, vector);
        }
    }

    private (Dictionary<ulong, int> Words, Dictionary<ulong, int> Chars) Features(string text)
    {
        // Sized for a ticket-length text up front: growing these tables was a visible share of embedding time.
        var words = new Dictionary<ulong, int>(Math.Min(text.Length / 2, 4096));
        var chars = new Dictionary<ulong, int>(Math.Min(text.Length * 2, 16384));
        string? previous = null;
        Span<char> padded = stackalloc char[66];
        Span<char> bigram = stackalloc char[130];
        foreach (var term in Tokenizer.StemmedTerms(text))
        {
            Increment(words, StableHash.Hash(term));
            if (previous is not null)
            {
                // Hashes the same characters as previous + " " + term, without building the string.
                Increment(words, previous.Length + term.Length < bigram.Length
                    ? StableHash.Hash(Join(bigram, previous, term), BigramSeed)
                    : StableHash.Hash(previous + " " + term, BigramSeed));
            }

            previous = term;
            if (term.Length > 64)
            {
                continue; // base64 blobs and hashes: no useful sub-word structure
            }

            padded[0] = '<';
            term.AsSpan().CopyTo(padded[1..]);
            padded[term.Length + 1] = '>';
            var word = padded[..(term.Length + 2)];
            for (var n = Options.MinCharGram; n <= Options.MaxCharGram; n++)
            {
                for (var i = 0; i + n <= word.Length; i++)
                {
                    Increment(chars, StableHash.Hash(word.Slice(i, n), CharSeed));
                }
            }
        }

        return (words, chars);
    }

    private static ReadOnlySpan<char> Join(Span<char> buffer, string first, string second)
    {
        first.AsSpan().CopyTo(buffer);
        buffer[first.Length] = ' ';
        second.AsSpan().CopyTo(buffer[(first.Length + 1)..]);
        return buffer[..(first.Length + 1 + second.Length)];
    }

    private static void Increment(Dictionary<ulong, int> counts, ulong key) =>
        System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, key, out _)++;
}
