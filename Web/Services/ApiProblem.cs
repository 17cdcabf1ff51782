using System.Net;
using System.Text.Json;

namespace AspireTickets.Web.Services;

/// <summary>An Api answer other than success, carrying its problem details (title, detail and the per-field errors).</summary>
public sealed class ApiProblemException(HttpStatusCode status, string title, string? detail, IReadOnlyDictionary<string, string[]> errors)
    : Exception(detail is null ? title : $"{title}: {detail}")
{
    public HttpStatusCode Status { get; } = status;
    public string Title { get; } = title;
    public string? Detail { get; } = detail;

    /// <summary>Field → reasons, keyed as the Api names them (<c>title</c>, <c>reporter.email</c>, <c>labels[0]</c>).</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    /// <summary>The reasons for one field, matched case-insensitively.</summary>
    public string? ErrorFor(string field) =>
        Errors.FirstOrDefault(e => string.Equals(e.Key, field, StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } reasons
            ? string.Join(" ", reasons)
            : null;

    /// <summary>A sentence for a snackbar or alert.</summary>
    public string Describe() => Errors.Count > 0
        ? string.Join(" ", Errors.SelectMany(e => e.Value))
        : Detail ?? Title;

    public static async Task<ApiProblemException> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var title = response.ReasonPhrase ?? response.StatusCode.ToString();
        string? detail = null;
        var errors = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        try
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            if (body.Length > 0 && body.TrimStart().StartsWith('{'))
            {
                using var json = JsonDocument.Parse(body);
                var root = json.RootElement;
                if (root.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String)
                {
                    title = t.GetString()!;
                }
                if (root.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String)
                {
                    detail = d.GetString();
                }
                if (root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object)
                {
                    foreach (var field in e.EnumerateObject())
                    {
                        errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                            ? [.. field.Value.EnumerateArray().Select(v => v.ToString())]
                            : [field.Value.ToString()];
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not problem details (a proxy's error page); the status line says enough.
        }
        return new ApiProblemException(response.StatusCode, title, detail, errors);
    }
}

/// <summary>
/// The result of calling an Api feature that may not be deployed yet: <see cref="Available"/> is false when the
/// Api answered 404 for the whole feature, so the page shows "not available" instead of failing.
/// </summary>
public sealed record Feature<T>(T? Value, bool Available)
{
    public static Feature<T> Missing { get; } = new(default, false);
}
