using AspireTickets.Ingestion.Pipeline;
using AspireTickets.Ingestion.Security;
using Microsoft.AspNetCore.Http;

namespace AspireTickets.Ingestion.Sources;

/// <summary>
/// One webhook-style source: how its deliveries are authenticated and how a delivery becomes ingest items.
/// The HTTP handling around it (body limit, problem details, archive, store, acknowledgement) is shared in IngestApi.
/// </summary>
public interface ITicketSource
{
    /// <summary>Route segment and configuration name: <c>/ingest/{Name}</c>, <c>Ingestion:Sources:{Name}</c>.</summary>
    string Name { get; }

    long DefaultMaxBodyBytes { get; }

    /// <summary>True when the source's secret or token is configured; otherwise the endpoint answers 404.</summary>
    bool IsEnabled(SourceOptions options);

    /// <summary>Checks authenticity (and, where the source signs a timestamp, freshness) of the raw delivery.</summary>
    Verification Verify(HttpRequest request, ReadOnlySpan<byte> body, SourceOptions options, DateTimeOffset now);

    ParseResult Parse(HttpRequest request, byte[] body, DateTimeOffset now);
}

public readonly record struct Verification(bool Ok, string? Failure)
{
    public static Verification Passed { get; } = new(true, null);
    public static Verification Failed(string reason) => new(false, reason);
}

public abstract record ParseResult
{
    public sealed record Accepted(IReadOnlyList<IngestItem> Items) : ParseResult;

    /// <summary>A well-formed delivery of an event we do not turn into tickets; acknowledged so the sender does not retry.</summary>
    public sealed record Ignored(string Reason) : ParseResult;

    /// <summary>Malformed: <see cref="Field"/> names what is wrong, as a JSON path or header name.</summary>
    public sealed record Invalid(string Field, string Reason) : ParseResult;

    public static ParseResult Accept(params IngestItem[] items) => new Accepted(items);
}

/// <summary>Shared rules for what sources may put into a ticket.</summary>
public static class SourceLimits
{
    public const int MaxTitleLength = 500;
    public const int MaxLabels = 50;
    public const int MaxLabelLength = 100;

    public static readonly TimeSpan DefaultTimestampTolerance = TimeSpan.FromMinutes(5);

    public static string Title(string title)
    {
        var clean = string.Join(' ', title.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return clean.Length <= MaxTitleLength ? clean : clean[..(MaxTitleLength - 1)] + "…";
    }

    public static IReadOnlyList<string> Labels(IEnumerable<string?> labels) =>
        labels.Where(l => !string.IsNullOrWhiteSpace(l))
            .Select(l => l!.Trim())
            .Select(l => l.Length <= MaxLabelLength ? l : l[..MaxLabelLength])
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Take(MaxLabels)
            .ToList();

    public static bool IsFresh(DateTimeOffset timestamp, DateTimeOffset now, SourceOptions options) =>
        (now - timestamp).Duration() <= (options.TimestampTolerance ?? DefaultTimestampTolerance);
}
