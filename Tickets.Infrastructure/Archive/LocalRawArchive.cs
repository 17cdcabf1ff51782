using System.Collections.Concurrent;
using AspireTickets.Domain.Archive;

namespace AspireTickets.Infrastructure.Archive;

/// <summary>
/// The embedded run's raw archive: one append-only segment file per source and UTC day,
/// <c>&lt;root&gt;/&lt;source&gt;/&lt;yyyy-MM-dd&gt;.rawlog</c>, holding checksummed records (<see cref="RawArchiveSegment"/>).
/// A file per payload cost more than everything else an ingestion does (the file system allocates an inode for
/// every delivery); appending a record is one write to an open file.
/// </summary>
/// <remarks>
/// A record is written with one write call before <see cref="SaveAsync"/> returns, so it is in the OS page cache,
/// which survives a killed process (the durability test kills it). Like the SQLite store (WAL, synchronous=NORMAL)
/// it does not pay an fsync per delivery to also survive a power cut; a record torn by one is detected by its
/// checksum and cut off when the segment is next opened. One process writes a data folder at a time, as with the store.
/// </remarks>
public sealed class LocalRawArchive(string rootDirectory) : IRawArchive, IAsyncDisposable
{
    public const string SegmentExtension = ".rawlog";

    private readonly ConcurrentDictionary<string, RawArchiveSegment> _segments = new(StringComparer.Ordinal);

    public string RootDirectory { get; } = Path.GetFullPath(rootDirectory);

    public async Task<string> SaveAsync(RawPayload payload, CancellationToken cancellationToken = default)
    {
        var key = payload.Key;
        var segment = _segments.GetOrAdd(SegmentPathFor(key), path => new RawArchiveSegment(path));
        await segment.AppendAsync(key, payload.Content, cancellationToken);
        return key;
    }

    // Loading is for replays and audits, rare enough that scanning the day's segment beats keeping an index.
    public Task<byte[]?> LoadAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = SegmentPathFor(key);
        return Task.FromResult(File.Exists(path) ? RawArchiveSegment.FindInFile(path, key, cancellationToken) : null);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var segment in _segments.Values)
        {
            await segment.DisposeAsync();
        }
        _segments.Clear();
    }

    /// <summary>The segment a key's record lives in: the key's source and day, its last part is the delivery id.</summary>
    private string SegmentPathFor(string key)
    {
        var parts = key.Split('/');
        if (!RawArchiveKeys.IsSafe(key) || parts.Length != 3)
        {
            throw new ArgumentException($"'{key}' is not a valid archive key.", nameof(key));
        }
        return Path.Combine(RootDirectory, parts[0], parts[1] + SegmentExtension);
    }
}
