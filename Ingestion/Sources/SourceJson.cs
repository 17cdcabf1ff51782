using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AspireTickets.Ingestion.Sources;

internal static class SourceJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = false,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        MaxDepth = 64,
        AllowTrailingCommas = false,
    };

    /// <summary>Deserializes or reports the JSON path that is wrong, so a 400 can name the field.</summary>
    public static bool TryRead<T>(byte[] body, out T? value, out ParseResult.Invalid? error) where T : class
    {
        try
        {
            value = JsonSerializer.Deserialize<T>(body, Options);
            error = value is null ? new ParseResult.Invalid("$", "The body must be a JSON object.") : null;
            return value is not null;
        }
        catch (JsonException e)
        {
            value = null;
            error = new ParseResult.Invalid(string.IsNullOrEmpty(e.Path) ? "$" : e.Path, "Not valid JSON for this webhook: " + FirstLine(e.Message));
            return false;
        }
    }

    /// <summary>Ids arrive as numbers or strings depending on the vendor's API version.</summary>
    public static string? IdText(JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.String } e => e.GetString(),
        { ValueKind: JsonValueKind.Number } e => e.GetRawText(),
        _ => null,
    };

    /// <summary>Parses ISO 8601 including Jira's offset without colon (<c>2026-03-02T09:15:02.000+0100</c>).</summary>
    public static DateTimeOffset? Time(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return parsed;
        }
        string[] formats = ["yyyy-MM-dd'T'HH:mm:ss.fffzzzz", "yyyy-MM-dd'T'HH:mm:ss.fffzzz", "yyyy-MM-dd'T'HH:mm:sszzz"];
        var normalized = text.Length > 5 && (text[^5] is '+' or '-') && char.IsAsciiDigit(text[^1]) ? text.Insert(text.Length - 2, ":") : text;
        return DateTimeOffset.TryParseExact(normalized, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out parsed) ? parsed : null;
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOf('.', StringComparison.Ordinal);
        return end > 0 ? message[..(end + 1)] : message;
    }
}
