using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace AspireTickets.Api.Infrastructure;

/// <summary>
/// Refuses a body larger than the endpoint's limit (default 1 MB) with a 413 problem before it is read.
/// Kestrel enforces the same limit while reading a chunked body; this also covers hosts that do not
/// (the test server) and answers with problem details rather than a bare status.
/// </summary>
/// <remarks>Before the 413, <see cref="OversizedBody"/> drains the body or closes the connection, so that a keep-alive
/// client does not lose its next request.</remarks>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, IProblemDetailsService problemDetails)
{
    public const long DefaultLimitBytes = 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { } metadata
            ? metadata.MaxRequestBodySize
            : DefaultLimitBytes;

        if (limit is { } max && context.Request.ContentLength is { } length && length > max)
        {
            await OversizedBody.PrepareRefusalAsync(context);
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await problemDetails.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Title = "Request body too large",
                    Detail = $"The body may be at most {max} bytes.",
                },
            });
            return;
        }

        // Kestrel's server-wide limit is the default; an endpoint's own limit (larger for bulk import) replaces it.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        await next(context);
    }
}
