using Microsoft.AspNetCore.Http.Features;

namespace AspireTickets.Api.Infrastructure;

/// <summary>
/// What a service does with a body it refuses as too large, just before answering 413. A keep-alive client must not
/// lose its next request on the same connection: unread, the body would make Kestrel drop the connection after the
/// 413 without saying so. So a body of at most <see cref="MaxDrainBytes"/> that has not been read yet is read and
/// discarded (within <see cref="DrainTimeout"/>) and the connection lives on; a larger, slower or half-read one gets
/// <c>Connection: close</c> on the 413, so that the client sends its next request on a new connection.
/// </summary>
public static class OversizedBody
{
    public const long MaxDrainBytes = 8 * 1024 * 1024;

    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    public static async Task PrepareRefusalAsync(HttpContext context)
    {
        if (!await TryDrainAsync(context) && (HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol)))
        {
            context.Response.Headers.Connection = "close";
        }
    }

    /// <summary>True when the whole body was read; the size limit can only be raised while nothing of it was read.</summary>
    private static async Task<bool> TryDrainAsync(HttpContext context)
    {
        if (context.Request.ContentLength is not { } length || length > MaxDrainBytes
            || context.Features.Get<IHttpMaxRequestBodySizeFeature>() is not { IsReadOnly: false } feature)
        {
            return false;
        }
        feature.MaxRequestBodySize = length;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(DrainTimeout);
        try
        {
            await context.Request.Body.CopyToAsync(Stream.Null, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or BadHttpRequestException)
        {
            return false;
        }
    }
}
