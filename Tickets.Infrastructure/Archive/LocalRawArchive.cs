using AspireTickets.Domain.Archive;

namespace AspireTickets.Infrastructure.Archive;

/// <summary>
/// The embedded run's raw archive: <c>&lt;root&gt;/&lt;source&gt;/&lt;yyyy-MM-dd&gt;/&lt;id&gt;</c>. Written to a temporary
/// file, flushed to disk and renamed, so a crash never leaves a half-written payload under a real name.
/// </summary>
public sealed class LocalRawArchive(string rootDirectory) : IRawArchive
{
    public string RootDirectory { get; } = Path.GetFullPath(rootDirectory);

    public async Task<string> SaveAsync(RawPayload payload, CancellationToken cancellationToken = default)
    {
        var key = payload.Key;
        var path = PathFor(key);
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);

        var temp = Path.Combine(directory, $".{payload.Id}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 16 * 1024, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(payload.Content, cancellationToken);
                // The source is acknowledged right after this returns. The bytes are in the OS page cache, which
                // survives a killed process (the durability test kills it); like the SQLite store (WAL,
                // synchronous=NORMAL) we do not pay an fsync per delivery to also survive a power cut.
                await stream.FlushAsync(cancellationToken);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
        return key;
    }

    public async Task<byte[]?> LoadAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathFor(key);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken) : null;
    }

    private string PathFor(string key)
    {
        if (!RawArchiveKeys.IsSafe(key))
        {
            throw new ArgumentException($"'{key}' is not a valid archive key.", nameof(key));
        }
        return Path.Combine(RootDirectory, key.Replace('/', Path.DirectorySeparatorChar));
    }
}
