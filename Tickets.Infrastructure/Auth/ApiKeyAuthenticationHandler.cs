using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AspireTickets.Infrastructure.Auth;

/// <summary>
/// Authenticates machine clients by the <c>X-Api-Key</c> header against <c>Auth:ApiKeys:&lt;name&gt;</c>.
/// Keys are compared in constant time so response timing reveals nothing about a key's prefix. Keys an admin
/// created at run time (<see cref="StoredApiKeys"/>) are accepted too. The Web authenticates with its service key
/// (<see cref="WebServiceKey"/>) and names the signed-in person; that person's role is then read from the user
/// directory here, so the Api and Agents services enforce roles from their own records, not from what the caller claims.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IConfiguration configuration,
    IProblemDetailsService problemDetails,
    WebServiceKey webServiceKey,
    UserDirectory users,
    StoredApiKeys storedKeys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    /// <summary>Machine clients act with full rights; people get their roles from the sign-in instead.</summary>
    public const string ApiClientRole = "api-client";

    /// <summary>The Web without a signed-in person (it may only check passwords).</summary>
    public const string WebServiceRole = "web-service";

    /// <summary>Claim "via" = "web" marks a person acting through the Web.</summary>
    public const string ViaClaim = "via";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Headers.TryGetValue(WebServiceKey.HeaderName, out var serviceKey) && !string.IsNullOrEmpty(serviceKey.ToString()))
        {
            return await AuthenticateWebAsync(serviceKey.ToString());
        }
        if (!Request.Headers.TryGetValue(HeaderName, out var presented) || string.IsNullOrEmpty(presented.ToString()))
        {
            return AuthenticateResult.NoResult();
        }
        var configured = AuthenticateConfiguredKey(presented.ToString());
        if (configured.Succeeded)
        {
            return configured;
        }
        var stored = await storedKeys.FindAsync(presented.ToString(), Context.RequestAborted);
        return stored is null ? configured : Success($"api:{stored.Name}", ApiClientRole);
    }

    private async Task<AuthenticateResult> AuthenticateWebAsync(string presentedKey)
    {
        if (!webServiceKey.Matches(presentedKey))
        {
            return AuthenticateResult.Fail("The service key is not valid.");
        }
        var userName = Request.Headers[WebServiceKey.UserHeaderName].ToString();
        if (string.IsNullOrWhiteSpace(userName))
        {
            return Success("service:web", WebServiceRole);
        }
        var user = await users.FindAsync(userName, Context.RequestAborted);
        if (user is null || user.Disabled)
        {
            return AuthenticateResult.Fail($"The user {userName} does not exist or is disabled.");
        }
        return Success(user.UserName, user.Role, new Claim(ViaClaim, "web"));
    }

    private static AuthenticateResult Success(string name, string role, params Claim[] extra)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role), .. extra], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private AuthenticateResult AuthenticateConfiguredKey(string presented)
    {
        var presentedBytes = Encoding.UTF8.GetBytes(presented);
        string? matchedName = null;
        foreach (var key in configuration.GetSection("Auth:ApiKeys").GetChildren())
        {
            if (string.IsNullOrEmpty(key.Value))
            {
                continue;
            }
            // Compare against every key (no early exit) so timing does not reveal which names exist.
            if (CryptographicOperations.FixedTimeEquals(presentedBytes, Encoding.UTF8.GetBytes(key.Value)))
            {
                matchedName ??= key.Key;
            }
        }

        return matchedName is null ? AuthenticateResult.Fail("The API key is not valid.") : Success($"api:{matchedName}", ApiClientRole);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status401Unauthorized, "Authentication required", $"Send a valid API key in the {HeaderName} header.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", "Your role does not allow this action.");

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
