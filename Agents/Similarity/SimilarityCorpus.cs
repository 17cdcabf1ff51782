using System.Text.Json;
using AspireTickets.Agents.Intelligence.Similarity;

namespace AspireTickets.Agents.Similarity;

/// <summary>A corpus entry found similar to a query, with the fused score and its two signals.</summary>
public sealed record SimilarEntry<T>(T Entry, double Score, double Lexical, double Dense);

/// <summary>
/// A searchable corpus (tickets, knowledge-base sections): the hybrid <see cref="DuplicateFinder"/> (BM25 + local
/// embeddings in an in-process vector index) plus the metadata callers need about each hit. The finder's lexical
/// index is not safe for reads during writes, so searches share a read lock and changes take the write lock.
/// </summary>
public sealed class SimilarityCorpus<T> where T : class
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<Guid, T> _entries = [];
    private readonly DuplicateFinder _finder;
    private readonly InMemoryVectorIndex _vectors;

    public SimilarityCorpus(DuplicateFinderOptions? options = null)
    {
        var finderOptions = options ?? new DuplicateFinderOptions();
        _vectors = new InMemoryVectorIndex(finderOptions.Embedding.Dimensions);
        _finder = new DuplicateFinder(_vectors, finderOptions);
    }

    private SimilarityCorpus(DuplicateFinder finder, InMemoryVectorIndex vectors)
    {
        _finder = finder;
        _vectors = vectors;
    }

    public int Count => Read(() => _entries.Count);

    /// <summary>Lexical candidates scored densely per search once the corpus is larger (null: every entry).</summary>
    public int? CandidatePool { get; set; }

    public DuplicateFusion Fusion => _finder.Options.Fusion;

    public T? Get(Guid id) => Read(() => _entries.GetValueOrDefault(id));

    public IReadOnlyList<T> Snapshot() => Read(() => _entries.Values.ToList());

    public void Upsert(Guid id, string title, string? body, T entry) => Write(() =>
    {
        _finder.UpsertAsync(id, title, body).GetAwaiter().GetResult();
        _entries[id] = entry;
    });

    /// <summary>Updates the metadata only (status, resolution…) when the text is unchanged.</summary>
    public void Replace(Guid id, T entry) => Write(() => _entries[id] = entry);

    public bool Remove(Guid id) => Write(() =>
    {
        _finder.RemoveAsync(id).GetAwaiter().GetResult();
        return _entries.Remove(id);
    });

    /// <summary>Entries most similar to the text, best first, optionally only those passing <paramref name="where"/>.</summary>
    public IReadOnlyList<SimilarEntry<T>> Find(string title, string? body, int topK, IReadOnlyCollection<Guid>? exclude = null, Func<T, bool>? where = null) => Read(() =>
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
        return (IReadOnlyList<SimilarEntry<T>>)result;
    });

    /// <summary>The local embedding of a text under this corpus's IDF (dot product of two = cosine).</summary>
    public float[] Embed(string text) => Read(() => _finder.Embedder.Embed(text));

    /// <summary>Writes vectors, IDF statistics and metadata (with the texts) to <paramref name="directory"/>.</summary>
    public async Task SaveAsync(string directory, CancellationToken ct = default)
    {
        // Serialized in memory under the read lock (everything completes synchronously there), written outside it.
        var (vectors, frequencies, entries) = Read(() =>
        {
            using var vectorBuffer = new MemoryStream();
            _vectors.SaveAsync(vectorBuffer, ct).GetAwaiter().GetResult();
            using var frequencyBuffer = new MemoryStream();
            _finder.Embedder.Frequencies.Save(frequencyBuffer);
            return (vectorBuffer.ToArray(), frequencyBuffer.ToArray(), JsonSerializer.SerializeToUtf8Bytes(_entries.Values.ToList(), CorpusJson.Options));
        });

        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, ".saving");
        Directory.CreateDirectory(temp);
        await File.WriteAllBytesAsync(Path.Combine(temp, "vectors.bin"), vectors, ct);
        await File.WriteAllBytesAsync(Path.Combine(temp, "frequencies.bin"), frequencies, ct);
        await File.WriteAllBytesAsync(Path.Combine(temp, "entries.json"), entries, ct);
        // Replace the files only once all three are written, so a crash never leaves a half-written snapshot.
        foreach (var file in new[] { "vectors.bin", "frequencies.bin", "entries.json" })
        {
            File.Move(Path.Combine(temp, file), Path.Combine(directory, file), overwrite: true);
        }
        Directory.Delete(temp);
    }

    /// <summary>Loads a saved corpus without re-embedding; null when there is none or it cannot be read.</summary>
    public static async Task<SimilarityCorpus<T>?> LoadAsync(
        string directory, Func<T, (Guid Id, string Title, string? Body)> text, DuplicateFinderOptions? options = null, CancellationToken ct = default)
    {
        var vectorsPath = Path.Combine(directory, "vectors.bin");
        var frequenciesPath = Path.Combine(directory, "frequencies.bin");
        var entriesPath = Path.Combine(directory, "entries.json");
        if (!File.Exists(vectorsPath) || !File.Exists(frequenciesPath) || !File.Exists(entriesPath))
        {
            return null;
        }
        try
        {
            var finderOptions = options ?? new DuplicateFinderOptions();
            InMemoryVectorIndex vectors;
            await using (var stream = File.OpenRead(vectorsPath))
            {
                vectors = await InMemoryVectorIndex.LoadAsync(stream, ct);
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
            if (vectors.Dimensions != finderOptions.Embedding.Dimensions || vectors.Count != entries.Count)
            {
                return null;
            }

            var finder = new DuplicateFinder(vectors, finderOptions, new LocalEmbeddingGenerator(finderOptions.Embedding, frequencies));
            var corpus = new SimilarityCorpus<T>(finder, vectors);
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

    private void Write(Action write) => Write(() =>
    {
        write();
        return true;
    });

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

internal static class CorpusJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };
}
