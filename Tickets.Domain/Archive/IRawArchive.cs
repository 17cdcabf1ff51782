namespace AspireTickets.Domain.Archive;

/// <summary>
/// Keeps every accepted source payload exactly as it arrived, before the source is acknowledged, so a ticket
/// can always be traced back to (and re-ingested from) what the customer's system really sent.
/// Adapters: a local folder (embedded run) and S3 (<c>AWS:Resources:rawtickets:BucketName</c>).
/// </summary>
public interface IRawArchive
{
    /// <summary>Stores the payload durably; returns its key (<c>&lt;source&gt;/&lt;yyyy-MM-dd&gt;/&lt;id&gt;</c>).</summary>
    Task<string> SaveAsync(RawPayload payload, CancellationToken cancellationToken = default);

    /// <summary>The stored bytes, or null when nothing is stored under that key.</summary>
    Task<byte[]?> LoadAsync(string key, CancellationToken cancellationToken = default);
}

/// <summary>One delivery as received. <see cref="Id"/> is unique per delivery (not per ticket: re-deliveries are kept too).</summary>
public sealed record RawPayload(string Source, string Id, DateTimeOffset ReceivedAt, string? ContentType, ReadOnlyMemory<byte> Content)
{
    public string Key => RawArchiveKeys.For(Source, ReceivedAt, Id);
}

public static class RawArchiveKeys
{
    public static string For(string source, DateTimeOffset receivedAt, string id) =>
        $"{source}/{receivedAt.UtcDateTime:yyyy-MM-dd}/{id}";

    /// <summary>Keys come from our own code, but a key reaching a file path must never climb out of the archive.</summary>
    public static bool IsSafe(string key) =>
        key.Length is > 0 and < 512 &&
        key.Split('/').All(part => part.Length > 0 && part != "." && part != ".." &&
                                   part.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'));
}
