using System.Buffers.Text;
using System.Security.Cryptography;

namespace AspireTickets.Web.Security;

/// <summary>
/// The content security policy of the Web's pages. Scripts come only from this origin, plus the one inline script
/// Blazor writes (the import map), which carries a nonce drawn per response. Styles allow inline attributes because
/// MudBlazor's components set <c>style="…"</c> in their markup; no script can be injected through a style attribute.
/// The Blazor circuit's WebSocket is same-origin (<c>connect-src 'self'</c>), and no page may be framed.
/// </summary>
public static class ContentSecurityPolicy
{
    private const string NonceItem = "aspiretickets.csp-nonce";

    /// <summary>The nonce of this response, drawn on first use (App.razor puts it on the import map).</summary>
    public static string Nonce(HttpContext context)
    {
        if (context.Items[NonceItem] is not string nonce)
        {
            // Base64url: nothing in it needs escaping in an HTML attribute or a header.
            nonce = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
            context.Items[NonceItem] = nonce;
        }
        return nonce;
    }

    public static string For(string nonce) => string.Join("; ",
        "default-src 'self'",
        $"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'");
}
