using Microsoft.AspNetCore.Http;

namespace AspireTickets.Ingestion.Sources.Bulk;

public enum BulkFormat
{
    Csv,
    JsonLines,
}

/// <summary>
/// How to read an import: <c>?format=csv|jsonl</c> (or from Content-Type), <c>?map=title=Subject,description=Body</c>
/// mapping our fields to the file's columns (unmapped fields use their own name), <c>?delimiter=;</c> for CSV.
/// </summary>
public sealed record BulkImportRequest(BulkFormat Format, IReadOnlyDictionary<string, string> Columns, char Delimiter)
{
    public static readonly IReadOnlyList<string> Fields =
        ["key", "title", "description", "priority", "reporterName", "reporterEmail", "organization", "labels", "createdAt"];

    public (string Field, string Reason)? Error { get; init; }

    public string ColumnFor(string field) => Columns.TryGetValue(field, out var column) ? column : field;

    public static BulkImportRequest FromQuery(IQueryCollection query, string? contentType)
    {
        BulkFormat? format = query["format"].ToString().ToLowerInvariant() switch
        {
            "csv" => BulkFormat.Csv,
            "jsonl" or "ndjson" or "jsonlines" => BulkFormat.JsonLines,
            "" => null,
            _ => (BulkFormat)(-1),
        };
        format ??= (contentType ?? "").Split(';')[0].Trim().ToLowerInvariant() switch
        {
            "text/csv" or "application/csv" => BulkFormat.Csv,
            "application/x-ndjson" or "application/jsonl" or "application/x-jsonlines" or "application/jsonlines" => BulkFormat.JsonLines,
            _ => null,
        };
        var fallback = new BulkImportRequest(BulkFormat.Csv, new Dictionary<string, string>(), ',');
        if (format is null or (BulkFormat)(-1))
        {
            return fallback with { Error = ("format", "Give ?format=csv or ?format=jsonl (or Content-Type text/csv / application/x-ndjson).") };
        }

        var columns = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var map = query["map"].ToString();
        foreach (var pair in map.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            var field = Fields.FirstOrDefault(f => string.Equals(f, parts[0], StringComparison.OrdinalIgnoreCase));
            if (parts.Length != 2 || parts[1].Length == 0 || field is null)
            {
                return fallback with { Error = ("map", $"'{Cut(pair)}' is not field=Column; fields are {string.Join(", ", Fields)}.") };
            }
            columns[field] = parts[1];
        }

        var delimiterText = query["delimiter"].ToString();
        var delimiter = delimiterText switch
        {
            "" => ',',
            "\\t" or "tab" => '\t',
            { Length: 1 } d when d[0] is ',' or ';' or '|' or '\t' => d[0],
            _ => '\0',
        };
        if (delimiter == '\0')
        {
            return fallback with { Error = ("delimiter", "One of , ; | or tab.") };
        }
        return new BulkImportRequest(format.Value, columns, delimiter);
    }

    private static string Cut(string value) => value.Length <= 60 ? value : value[..60];
}
