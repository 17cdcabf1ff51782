using System.Text.Json;
using System.Text.Json.Serialization;

namespace AspireTickets.Web.Services;

// Views of the Api features other modules own (knowledge base, dead letters); workflow runs are read as the Agents'
// own WorkflowRun, so the panel shows what the service sends. Unknown members are ignored and missing ones stay null, so the pages keep working while
// those APIs evolve; anything not modelled here is still shown through the raw JSON in generic tables.

public sealed class KbArticle
{
    public string? Id { get; set; }
    public string Title { get; set; } = "";
    public string? Body { get; set; }
    public string? Content { get; set; }
    public List<string> Tags { get; set; } = [];
    public DateTimeOffset? UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }

    [JsonIgnore]
    public string Markdown => Body ?? Content ?? "";
}

public sealed record KbArticleRequest(string Title, string Body, IReadOnlyList<string> Tags);

/// <summary>A list the Api returned as an array or as <c>{ items: [...] }</c>, kept as JSON for generic tables.</summary>
public static class JsonRows
{
    public static IReadOnlyList<JsonElement> From(JsonElement json)
    {
        if (json.ValueKind == JsonValueKind.Array)
        {
            return [.. json.EnumerateArray()];
        }
        if (json.ValueKind == JsonValueKind.Object)
        {
            foreach (var name in new[] { "items", "steps", "deadLetters", "value" })
            {
                if (json.TryGetProperty(name, out var inner) && inner.ValueKind == JsonValueKind.Array)
                {
                    return [.. inner.EnumerateArray()];
                }
            }
            return [json];
        }
        return [];
    }

    public static IReadOnlyList<string> Columns(IReadOnlyList<JsonElement> rows) =>
        [.. rows.Where(r => r.ValueKind == JsonValueKind.Object).SelectMany(r => r.EnumerateObject().Select(p => p.Name)).Distinct().Take(10)];

    public static string Cell(JsonElement row, string column)
    {
        if (row.ValueKind != JsonValueKind.Object || !row.TryGetProperty(column, out var value))
        {
            return "";
        }
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() ?? "",
            JsonValueKind.Null => "",
            JsonValueKind.Number when value.TryGetDouble(out var d) && d % 1 != 0 => d.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture),
            JsonValueKind.Array or JsonValueKind.Object => Shorten(value.GetRawText()),
            _ => value.ToString(),
        };
    }

    public static string? Id(JsonElement row) =>
        row.ValueKind == JsonValueKind.Object && (row.TryGetProperty("id", out var id) || row.TryGetProperty("Id", out id)) ? id.ToString() : null;

    private static string Shorten(string text) => text.Length > 120 ? text[..117] + "…" : text;
}
