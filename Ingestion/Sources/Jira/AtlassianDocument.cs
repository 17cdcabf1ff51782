using System.Text;
using System.Text.Json;

namespace AspireTickets.Ingestion.Sources.Jira;

/// <summary>
/// Turns an Atlassian Document Format document (Jira Cloud REST v3 rich text) into readable plain text:
/// paragraphs and headings as blocks, lists as "- " / "1. " items, code blocks verbatim, mentions, emojis,
/// links and dates by their visible text, tables as rows of "|"-separated cells.
/// </summary>
public static class AtlassianDocument
{
    private const int MaxDepth = 48;

    public static string ToText(JsonElement? value) => value switch
    {
        null => "",
        { ValueKind: JsonValueKind.String } s => s.GetString() ?? "",
        { ValueKind: JsonValueKind.Object } doc => Render(doc),
        _ => "",
    };

    public static bool IsValid(JsonElement? value) =>
        value is null || value.Value.ValueKind is JsonValueKind.Null or JsonValueKind.String ||
        (value.Value.ValueKind == JsonValueKind.Object && value.Value.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String);

    private static string Render(JsonElement doc)
    {
        var text = new StringBuilder();
        Block(doc, text, 0, listPrefix: null);
        return Normalize(text.ToString());
    }

    private static void Block(JsonElement node, StringBuilder text, int depth, string? listPrefix)
    {
        if (depth > MaxDepth || node.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        var type = node.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        switch (type)
        {
            case "text":
                text.Append(String(node, "text"));
                return;
            case "hardBreak":
                text.Append('\n');
                return;
            case "mention":
                text.Append(Attr(node, "text") ?? "@" + Attr(node, "id"));
                return;
            case "emoji":
                text.Append(Attr(node, "text") ?? Attr(node, "shortName"));
                return;
            case "inlineCard" or "blockCard" or "embedCard":
                text.Append(Attr(node, "url"));
                return;
            case "status":
                text.Append('[').Append(Attr(node, "text")).Append(']');
                return;
            case "date":
                text.Append(DateText(Attr(node, "timestamp")));
                return;
            case "rule":
                text.Append("\n---\n");
                return;
            case "media" or "mediaInline":
                text.Append("[attachment").Append(Attr(node, "alt") is { } alt ? ": " + alt : "").Append(']');
                return;
            case "paragraph" or "heading":
                Children(node, text, depth, null);
                text.Append("\n\n");
                return;
            case "codeBlock":
                Children(node, text, depth, null);
                text.Append("\n\n");
                return;
            case "blockquote":
            {
                var inner = new StringBuilder();
                Children(node, inner, depth, null);
                foreach (var line in Normalize(inner.ToString()).Split('\n'))
                {
                    text.Append("> ").Append(line).Append('\n');
                }
                text.Append('\n');
                return;
            }
            case "bulletList" or "orderedList":
            {
                var number = 1;
                if (node.TryGetProperty("content", out var items) && items.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in items.EnumerateArray())
                    {
                        var prefix = type == "bulletList" ? "- " : $"{number++}. ";
                        text.Append(listPrefix is null ? "" : new string(' ', listPrefix.Length)).Append(prefix);
                        var inner = new StringBuilder();
                        Children(item, inner, depth + 1, prefix);
                        text.Append(Normalize(inner.ToString()).Replace("\n\n", "\n", StringComparison.Ordinal)).Append('\n');
                    }
                }
                text.Append('\n');
                return;
            }
            case "tableRow":
            {
                var cells = new List<string>();
                if (node.TryGetProperty("content", out var row) && row.ValueKind == JsonValueKind.Array)
                {
                    foreach (var cell in row.EnumerateArray())
                    {
                        var inner = new StringBuilder();
                        Children(cell, inner, depth + 1, null);
                        cells.Add(Normalize(inner.ToString()).Replace('\n', ' '));
                    }
                }
                text.Append(string.Join(" | ", cells)).Append('\n');
                return;
            }
            case "table":
                Children(node, text, depth, null);
                text.Append('\n');
                return;
            default:
                // doc, panel, expand, listItem, mediaSingle, unknown future nodes: their children carry the text.
                Children(node, text, depth, listPrefix);
                return;
        }
    }

    private static void Children(JsonElement node, StringBuilder text, int depth, string? listPrefix)
    {
        if (node.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
        {
            foreach (var child in content.EnumerateArray())
            {
                Block(child, text, depth + 1, listPrefix);
            }
        }
    }

    private static string? String(JsonElement node, string name) =>
        node.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Attr(JsonElement node, string name) =>
        node.TryGetProperty("attrs", out var attrs) && attrs.ValueKind == JsonValueKind.Object ? String(attrs, name) : null;

    private static string DateText(string? timestamp) =>
        long.TryParse(timestamp, out var ms) && ms is > 0 and < 253402300799999
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)
            : timestamp ?? "";

    private static string Normalize(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd());
        var result = new StringBuilder();
        var blank = 0;
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                if (++blank > 1 || result.Length == 0)
                {
                    continue;
                }
            }
            else
            {
                blank = 0;
            }
            result.Append(line).Append('\n');
        }
        return result.ToString().Trim('\n');
    }
}
