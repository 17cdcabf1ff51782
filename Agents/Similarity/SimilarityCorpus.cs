using System.Collections.Concurrent;
using System.Text.Json;
using AspireTickets.Agents.Intelligence.Similarity;
using AspireTickets.Domain.Similarity;

namespace AspireTickets.Agents.Similarity;

/// <summary>A corpus entry found similar to a query, with the fused score and its two signals.</summary>
public sealed record SimilarEntry<T>(T Entry, double Score, double Lexical, double Dense);

/// <summary>
/// A searchable corpus (tickets, knowledge-base sections): the hybrid <see cref="DuplicateFinder"/> (BM25 + local
/// embeddings in a vector index: the registered <see cref="IVectorIndex"/> for tickets, an in-process one otherwise)
/// plus the metadata callers need about each hit. The finder is safe for searches during writes, so searches take no
/// lock here; changes are serialized so that an entry and its indexed text always change together.
/// </summary>
public sealed class SimilarityCorpus<T> where T : class
{
    private readonly Lock _writes = new();
    private readonly ConcurrentDictionary<Guid, T> _entries = [];
    private readonly DuplicateFinder _finder;
    private readonly IVectorIndex _vectors;

    /// <param name="vectors">Where the dense vectors live; a new in-process index when not given.</param>
    public SimilarityCorpus(DuplicateFinderOptions? options = null, IVectorIndex? vectors = null)
    {
        var finderOptions = options ?? new DuplicateFinderOptions();
        _vectors = vectors ?? new InMemoryVectorIndex(finderOptions.Embedding.Dimensions);
        _finder = new DuplicateFinder(_vectors, finderOptions);
    }

    private SimilarityCorpus(DuplicateFinder finder, IVectorIndex vectors)
    {
        _finder = finder;
        _vectors = vectors;
    }

    public int Count => _entries.Count;

    /// <summary>Lexical candidates scored densely per search once the corpus is larger (null: every entry).</summary>
    public int? CandidatePool { get; set; }

    public DuplicateFusion Fusion => _finder.Options.Fusion;

    public T? Get(Guid id) => _entries.GetValueOrDefault(id);

    public IReadOnlyList<T> Snapshot() => [.. _entries.Values];

    public void Upsert(Guid id, string title, string? body, T entry)
    {
        lock (_writes)
        {
            _finder.UpsertAsync(id, title, body).GetAwaiter().GetResult();
            _entries[id] = entry;
        }
    }

    /// <summary>Updates the metadata only (status, resolution…) when the text is unchanged.</summary>
    public void Replace(Guid id, T entry)
    {
        lock (_writes)
        {
            _entries[id] = entry;
        }
    }

    public bool Remove(Guid id)
    {
        lock (_writes)
        {
            _finder.RemoveAsync(id).GetAwaiter().GetResult();
            return _entries.TryRemove(id, out _);
        }
    }

    /// <summary>Entries most similar to the text, best first, optionally only those passing <paramref name="where"/>.</summary>
    public IReadOnlyList<SimilarEntry<T>> Find(string title, string? body, int topK, IReadOnlyCollection<Guid>? exclude = null, Func<T, bool>? where = null)
    {
        // With a filter, look further down the ranking so that enough passing entries remain.
        var wanted = where is null ? topK : Math.Max(topK * 8, 50);
        var matches = _finder.FindAsync(title, body, wanted, exclude, candidatePool: CandidatePool).GetAwaiter().GetResult();
        var result = new List<SimilarEntry<T>>(topK);
        foreach (var match in matches)
        {
            if (_entries.TryGetValue(match.Id, out var entry) && (where is null || where(entry)))
            {
                result.Add(new SimilarEntry<T>(entry, match.Score, match.Lexical, match.Dense));
                if (result.Count == topK)
                {
                    break;
                }
            }
        }
        return result;
    }

    /// <summary>The local embedding of a text under this corpus's IDF (dot product of two = cosine).</summary>
    public float[] Embed(string text) => _finder.Embed(text);

    /// <summary>Writes vectors, IDF statistics and metadata (with the texts) to <paramref name="directory"/>.</summary>
    public async Task SaveAsync(string directory, CancellationToken ct = default)
    {
        // Serialized in memory while changes wait (everything completes synchronously there), written outside the lock.
        // A server-side index (Qdrant) keeps its vectors itself; only an in-process one is saved with the corpus.
        byte[]? vectors;
        byte[] frequencies;
        byte[] entries;
        lock (_writes)
        {
            if (_vectors is InMemoryVectorIndex inMemory)
            {
                using var vectorBuffer = new MemoryStream();
                inMemory.SaveAsync(vectorBuffer, ct).GetAwaiter().GetResult();
                vectors = vectorBuffer.ToArray();
            }
            else
            {
                vectors = null;
            }
            using var frequencyBuffer = new MemoryStream();
            _finder.Embedder.Frequencies.Save(frequencyBuffer);
            frequencies = frequencyBuffer.ToArray();
            entries = JsonSerializer.SerializeToUtf8Bytes(_entries.Values.ToList(), CorpusJson.Options);
        }

        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, ".saving");
        Directory.CreateDirectory(temp);
        if (vectors is not null)
        {
            await File.WriteAllBytesAsync(Path.Combine(temp, "vectors.bin"), vectors, ct);
        }
        await File.WriteAllBytesAsync(Path.Combine(temp, "frequencies.bin"), frequencies, ct);
        await File.WriteAllBytesAsync(Path.Combine(temp, "entries.json"), entries, ct);
        // Replace the files only once all are written, so a crash never leaves a half-written snapshot.
        foreach (var file in vectors is null ? ["frequencies.bin", "entries.json"] : new[] { "vectors.bin", "frequencies.bin", "entries.json" })
        {
            File.Move(Path.Combine(temp, file), Path.Combine(directory, file), overwrite: true);
        }
        Directory.Delete(temp);
    }

    /// <summary>
    /// Loads a saved corpus without re-embedding; null when there is none, it cannot be read, or the vector index does
    /// not hold as many points as the snapshot has entries (then the caller rebuilds). With an in-process
    /// <paramref name="vectors"/> index (or none), the saved vectors are loaded into it; a server-side index already
    /// holds them.
    /// </summary>
    public static async Task<SimilarityCorpus<T>?> LoadAsync(
        string directory, Func<T, (Guid Id, string Title, string? Body)> text, DuplicateFinderOptions? options = null, CancellationToken ct = default,
        IVectorIndex? vectors = null)
    {
        var vectorsPath = Path.Combine(directory, "vectors.bin");
        var frequenciesPath = Path.Combine(directory, "frequencies.bin");
        var entriesPath = Path.Combine(directory, "entries.json");
        var inProcess = vectors is null or InMemoryVectorIndex;
        if ((inProcess && !File.Exists(vectorsPath)) || !File.Exists(frequenciesPath) || !File.Exists(entriesPath))
        {
            return null;
        }
        try
        {
            var finderOptions = options ?? new DuplicateFinderOptions();
            InMemoryVectorIndex? saved = null;
            if (inProcess)
            {
                await using var stream = File.OpenRead(vectorsPath);
                saved = await InMemoryVectorIndex.LoadAsync(stream, ct);
            }
            DocumentFrequencies frequencies;
            await using (var stream = File.OpenRead(frequenciesPath))
            {
                frequencies = DocumentFrequencies.Load(stream);
            }
            List<T> entries;
            await using (var stream = File.OpenRead(entriesPath))
            {
                entries = await JsonSerializer.DeserializeAsync<List<T>>(stream, CorpusJson.Options, ct) ?? [];
            }
            var points = saved is not null ? saved.Count : await vectors!.CountAsync(ct);
            if ((saved ?? vectors)!.Dimensions != finderOptions.Embedding.Dimensions || points != entries.Count)
            {
                return null;
            }

            if (saved is not null && vectors is InMemoryVectorIndex registered)
            {
                registered.ReplaceWith(saved);
            }
            var target = vectors ?? saved!;
            var finder = new DuplicateFinder(target, finderOptions, new LocalEmbeddingGenerator(finderOptions.Embedding, frequencies));
            var corpus = new SimilarityCorpus<T>(finder, target);
            foreach (var entry in entries)
            {
                var (id, title, body) = text(entry);
                await finder.RestoreAsync(id, title, body, ct);
                corpus._entries[id] = entry;
            }
            return corpus;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or JsonException or IOException)
        {
            // A damaged snapshot only costs a rebuild from the store.
            return null;
        }
    }
}

internal static class CorpusJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };
}
