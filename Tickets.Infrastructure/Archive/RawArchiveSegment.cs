using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace AspireTickets.Infrastructure.Archive;

/// <summary>
/// One append-only file of raw payload records. A record is
/// <c>magic "RAW1" | key length | content length | CRC-32 of key and content | key (UTF-8) | content</c>
/// (integers 32-bit little-endian), written with a single positioned write so that a killed process never leaves
/// half a record behind. A tail that fails the checks (a power cut mid-write) ends the readable part and is cut off
/// before the next append.
/// </summary>
internal sealed class RawArchiveSegment(string path) : IAsyncDisposable
{
    private const uint Magic = 0x31574152; // "RAW1" read little-endian
    private const int HeaderSize = 16;
    private const int MaxKeyBytes = 1024;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private SafeFileHandle? _handle;
    private long _end;

    public string Path { get; } = path;

    public bool IsOpen => Volatile.Read(ref _handle) is not null;

    public async Task AppendAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var keyLength = Encoding.UTF8.GetByteCount(key);
        var size = HeaderSize + keyLength + content.Length;
        var record = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            Encode(record.AsSpan(0, size), key, keyLength, content.Span);

            await _gate.WaitAsync(cancellationToken);
            try
            {
                var handle = _handle ?? Open();
                // A page-cache write of a few KB: cheaper done inline than handed to another thread.
                RandomAccess.Write(handle, record.AsSpan(0, size), _end);
                _end += size;
            }
            finally
            {
                _gate.Release();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(record);
        }
    }

    private static void Encode(Span<byte> record, string key, int keyLength, ReadOnlySpan<byte> content)
    {
        Encoding.UTF8.GetBytes(key, record[HeaderSize..]);
        content.CopyTo(record[(HeaderSize + keyLength)..]);
        BinaryPrimitives.WriteUInt32LittleEndian(record, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(record[4..], keyLength);
        BinaryPrimitives.WriteInt32LittleEndian(record[8..], content.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record[12..], Crc32.HashToUInt32(record[HeaderSize..]));
    }

    /// <summary>The content of the last intact record with this key (a key written twice keeps its latest payload).</summary>
    public static byte[]? FindInFile(string path, string key, CancellationToken cancellationToken)
    {
        using var stream = OpenForReading(path);
        byte[]? found = null;
        foreach (var (recordKey, content, _) in ReadRecords(stream))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (recordKey == key)
            {
                found = content;
            }
        }
        return found;
    }

    /// <summary>All intact records in file order, with the offset just past each; stops at the first damaged one.</summary>
    public static IEnumerable<(string Key, byte[] Content, long End)> ReadRecords(Stream stream)
    {
        var header = new byte[HeaderSize];
        var length = stream.Length;
        long offset = 0;
        while (offset + HeaderSize <= length)
        {
            stream.ReadExactly(header);
            var keyLength = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4));
            var contentLength = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8));
            if (BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic
                || keyLength is <= 0 or > MaxKeyBytes
                || contentLength < 0
                || offset + HeaderSize + keyLength + contentLength > length)
            {
                yield break;
            }
            var body = new byte[keyLength + contentLength];
            stream.ReadExactly(body);
            if (Crc32.HashToUInt32(body) != BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(12)))
            {
                yield break;
            }
            offset += HeaderSize + body.Length;
            yield return (Encoding.UTF8.GetString(body, 0, keyLength), body[keyLength..], offset);
        }
    }

    /// <summary>Closes the file; a later append opens it again (and finds its end again).</summary>
    public async Task CloseAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _handle?.Dispose();
            _handle = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync() => await CloseAsync();

    // Opening finds where the intact records end and cuts off anything after it, so a torn tail from a power cut
    // can never sit between two good records.
    private SafeFileHandle Open()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var handle = File.OpenHandle(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            long end = 0;
            using (var stream = OpenForReading(Path))
            {
                foreach (var record in ReadRecords(stream))
                {
                    end = record.End;
                }
            }
            if (RandomAccess.GetLength(handle) > end)
            {
                RandomAccess.SetLength(handle, end);
            }
            _end = end;
            _handle = handle;
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static FileStream OpenForReading(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 64 * 1024, FileOptions.SequentialScan);
}
