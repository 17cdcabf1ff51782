using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace AspireTickets.ServiceDefaults.Requests;

/// <summary>
/// Answers 415 with problem details when a request body declares a charset .NET cannot decode
/// (<c>Content-Type: application/json; charset=bogus</c>). Without it the JSON binder's transcoding stream throws
/// deep inside model binding and the client gets a 500 for its own mistake. Runs first in every service's pipeline.
/// </summary>
public sealed class KnownCharsetMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (UnknownCharset(context.Request.ContentType) is not { } charset)
        {
            return next(context);
        }
        return Results.Problem(
            statusCode: StatusCodes.Status415UnsupportedMediaType,
            title: "Unsupported media type",
            detail: $"The charset '{charset}' of the Content-Type header is not a known encoding; send UTF-8.",
            extensions: new Dictionary<string, object?>
            {
                ["errors"] = new Dictionary<string, string[]> { ["Content-Type"] = [$"'{charset}' is not a known charset."] },
            }).ExecuteAsync(context);
    }

    /// <summary>The declared charset when it names no encoding this runtime has, else null.</summary>
    public static string? UnknownCharset(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            return null;
        }
        var charset = mediaType.Charset.Value?.Trim('"');
        if (string.IsNullOrEmpty(charset))
        {
            return null;
        }
        try
        {
            Encoding.GetEncoding(charset);
            return null;
        }
        catch (ArgumentException)
        {
            return charset;
        }
    }
}
