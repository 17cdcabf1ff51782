namespace AspireTickets.Web.Security;

/// <summary>
/// Headers every response of the Web carries: no MIME sniffing, no framing, the referrer kept on this origin (the
/// queue's URL holds its search, which can name a customer) and no access to camera, microphone or location. Pages
/// also get the <see cref="ContentSecurityPolicy"/>; API answers, the API reference (<c>/api-docs</c>, Scalar's own
/// scripts) and the hub are not pages and keep theirs.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var page = IsPage(context.Request.Path);
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            if (page)
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy.For(ContentSecurityPolicy.Nonce(context));
            }
            return Task.CompletedTask;
        });
        return next(context);
    }

    private static bool IsPage(PathString path) =>
        !(path.StartsWithSegments("/api") || path.StartsWithSegments("/api-docs") || path.StartsWithSegments("/scalar")
          || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/ingest") || path.StartsWithSegments("/hubs"));
}
