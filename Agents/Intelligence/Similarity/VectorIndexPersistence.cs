using AspireTickets.Domain.Similarity;

namespace AspireTickets.Agents.Intelligence.Similarity;

/// <summary>
/// Keeps the embedded run's vector index in a file: loaded at start when present, written on shutdown
/// (to a temporary file first, then moved, so a crash mid-write never leaves a torn index).
/// </summary>
public sealed class VectorIndexPersistence(IVectorIndex index, string path, ILogger<VectorIndexPersistence> logger) : IHostedService
{
    public static InMemoryVectorIndex LoadOrCreate(string path, int dimensions, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        if (!File.Exists(path))
        {
            return new InMemoryVectorIndex(dimensions);
        }

        try
        {
            using var stream = File.OpenRead(path);
            var loaded = InMemoryVectorIndex.LoadAsync(stream).GetAwaiter().GetResult();
            if (loaded.Dimensions == dimensions)
            {
                return loaded;
            }

            logger.LogWarning("Vector index {Path} has {Found} dimensions, the embedder {Expected}; starting empty (re-index to fill it).", path, loaded.Dimensions, dimensions);
        }
        catch (InvalidDataException e)
        {
            logger.LogWarning(e, "Vector index {Path} is unreadable; starting empty (re-index to fill it).", path);
        }

        return new InMemoryVectorIndex(dimensions);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (index is not InMemoryVectorIndex inMemory)
        {
            return; // a server-side index (Qdrant) persists itself
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        // A temp name of its own: two hosts over one data folder (tests, a restart overlapping a stop) must not share it.
        var temporary = $"{path}.{Guid.NewGuid():n}.tmp";
        await using (var stream = File.Create(temporary))
        {
            await inMemory.SaveAsync(stream, cancellationToken);
        }

        File.Move(temporary, path, overwrite: true);
        logger.LogInformation("Saved {Count} vectors to {Path}.", inMemory.Count, path);
    }
}
