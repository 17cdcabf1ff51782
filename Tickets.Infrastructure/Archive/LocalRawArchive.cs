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
/// A source's segment of an earlier day is closed once it writes to a newer one.
/// </remarks>
public sealed class LocalRawArchive(string rootDirectory) : IRawArchive, IAsyncDisposable
{
    public const string SegmentExtension = ".rawlog";

    private readonly ConcurrentDictionary<string, RawArchiveSegment> _segments = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _newestSegment = new(StringComparer.Ordinal);

    public string RootDirectory { get; } = Path.GetFullPath(rootDirectory);

    /// <summary>Segments whose file this archive holds open.</summary>
    internal int OpenSegments => _segments.Values.Count(s => s.IsOpen);

    public async Task<string> SaveAsync(RawPayload payload, CancellationToken cancellationToken = default)
    {
        var key = payload.Key;
        var path = SegmentPathFor(key);
        var isNew = false;
        var segment = _segments.GetOrAdd(path, p =>
        {
            isNew = true;
            return new RawArchiveSegment(p);
        });
        var folder = Path.GetDirectoryName(path)!;
        var newest = _newestSegment.AddOrUpdate(folder, path, (_, current) => string.CompareOrdinal(path, current) > 0 ? path : current);

        await segment.AppendAsync(key, payload.Content, cancellationToken);

        // Only a source's newest day stays open, so a long-running process holds one file per source, not one per
        // source and day. Each path has one segment object for good (its end is known only to it), so a late write
        // to an older day (a delivery in flight at midnight) reopens that object, writes, and closes it again.
        if (newest != path)
        {
            await segment.CloseAsync();
        }
        else if (isNew)
        {
            foreach (var (other, older) in _segments)
            {
                if (other != path && Path.GetDirectoryName(other) == folder)
                {
                    await older.CloseAsync();
                }
            }
        }
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
