using System.Net;
using System.Text.RegularExpressions;
using AspireTickets.Tests.Api;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace AspireTickets.Tests.Web;

/// <summary>
/// Issue 17 item 8, read from real responses of the embedded product: the headers of pages and API answers, HTTPS
/// redirection and HSTS outside Development, the cookies' flags, and antiforgery on every form post.
/// </summary>
public sealed partial class SecurityHeadersTests : IAsyncLifetime
{
    private const string Admin = "root";
    private const string AdminPassword = "root-password-1";

    private readonly TicketsAppFactory _app = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _app.Settings["Auth:BootstrapAdmin:UserName"] = Admin;
        _app.Settings["Auth:BootstrapAdmin:Password"] = AdminPassword;
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task A_page_has_a_content_security_policy_whose_nonce_is_on_its_only_inline_script()
    {
        var client = PagesClient();

        var first = await client.GetAsync("/account/login", Ct);
        var second = await client.GetAsync("/account/login", Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        AssertCommonHeaders(first);
        var policy = Assert.Single(first.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Contains("object-src 'none'", policy);
        Assert.DoesNotContain("unsafe-eval", policy);
        var nonce = NonceOf(policy);
        Assert.Matches(@"script-src 'self' 'nonce-[^']+'(;|$)", policy);
        Assert.NotEqual(nonce, NonceOf(Assert.Single(second.Headers.GetValues("Content-Security-Policy"))));

        var html = await first.Content.ReadAsStringAsync(Ct);
        var inlineScripts = InlineScript().Matches(html);
        Assert.NotEmpty(inlineScripts);
        Assert.All(inlineScripts, script => Assert.Contains($"nonce=\"{nonce}\"", script.Value));
    }

    [Fact]
    public async Task An_api_answer_has_the_common_headers_and_no_page_policy()
    {
        var response = await _app.CreateApiClient().GetAsync("/api/tickets", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertCommonHeaders(response);
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
    }

    [Fact]
    public async Task Outside_development_http_is_redirected_to_https_and_https_answers_carry_hsts()
    {
        await using var app = _app.WithWebHostBuilder(web => web.UseSetting("https_port", "443"));

        var plain = await app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("http://tickets.example") })
            .GetAsync("/alive", Ct);
        var secure = await app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://tickets.example") })
            .GetAsync("/alive", Ct);

        Assert.Equal(HttpStatusCode.TemporaryRedirect, plain.StatusCode);
        Assert.Equal("https://tickets.example/alive", plain.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.Contains("max-age=", Assert.Single(secure.Headers.GetValues("Strict-Transport-Security")));
    }

    [Fact]
    public async Task In_development_http_is_served_as_is_without_hsts()
    {
        await using var app = _app.WithWebHostBuilder(web => web.UseEnvironment("Development").UseSetting("https_port", "443"));

        var plain = await app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("http://tickets.example") })
            .GetAsync("/alive", Ct);
        var secure = await app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://tickets.example") })
            .GetAsync("/alive", Ct);

        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.False(secure.Headers.Contains("Strict-Transport-Security"));
        AssertCommonHeaders(plain);
    }

    [Fact]
    public async Task Signing_in_and_out_uses_http_only_same_site_cookies_the_sign_in_one_secure()
    {
        var client = PagesClient();

        var form = await client.GetAsync("/account/login", Ct);
        var antiforgery = Cookie(form, "aspiretickets.antiforgery");
        Assert.Contains("httponly", antiforgery, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", antiforgery, StringComparison.OrdinalIgnoreCase);
        var token = FormToken(await form.Content.ReadAsStringAsync(Ct));

        var signIn = await client.SendAsync(FormPost("/account/login", [antiforgery], new()
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.UserName"] = Admin,
            ["Input.Password"] = AdminPassword,
        }), Ct);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var auth = Cookie(signIn, "aspiretickets.auth");
        Assert.Contains("secure", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", auth, StringComparison.OrdinalIgnoreCase);

        // The sign-out form of a signed-in page carries its own token; without it the post is refused.
        var home = new HttpRequestMessage(HttpMethod.Get, "/tickets");
        home.Headers.Add("Cookie", string.Join("; ", new[] { antiforgery, auth }.Select(NameAndValue)));
        var page = await client.SendAsync(home, Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var logoutToken = FormToken(await page.Content.ReadAsStringAsync(Ct));

        var forged = await client.SendAsync(FormPost("/account/logout", [antiforgery, auth], []), Ct);
        var signOut = await client.SendAsync(FormPost("/account/logout", [antiforgery, auth], new() { ["__RequestVerificationToken"] = logoutToken }), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/account/login", signOut.Headers.Location?.ToString());
    }

    [Fact]
    public void Every_form_post_of_the_web_requires_an_antiforgery_token()
    {
        _ = _app.CreateClient();
        var endpoints = _app.Services.GetServices<EndpointDataSource>().SelectMany(source => source.Endpoints).OfType<RouteEndpoint>();

        var formPosts = endpoints
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("POST") == true)
            .Where(e => !IsMachineRoute(e.RoutePattern.RawText ?? ""))
            .ToList();

        Assert.Contains(formPosts, e => e.RoutePattern.RawText == "/account/logout");
        Assert.Contains(formPosts, e => e.RoutePattern.RawText == "/account/login");
        Assert.All(formPosts, e => Assert.True(
            e.Metadata.GetMetadata<IAntiforgeryMetadata>()?.RequiresValidation == true,
            $"POST {e.RoutePattern.RawText} takes a form without antiforgery"));
    }

    /// <summary>
    /// A client of the product on a real loopback server, without redirects or a cookie jar (the test reads each
    /// Set-Cookie itself). Pages need it: the Web calls its own Api over loopback in the embedded run.
    /// </summary>
    private HttpClient PagesClient()
    {
        _app.UseKestrel(0);
        _app.StartServer();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(address) };
    }

    // JSON APIs authenticated by key or header, and SignalR's negotiate: not forms a browser can be tricked into posting
    // with the sign-in cookie.
    private static bool IsMachineRoute(string route) =>
        route.StartsWith("/api/") || route.StartsWith("api/") || route.StartsWith("/ingest") || route.StartsWith("ingest")
        || route.StartsWith("/hubs") || route.StartsWith("hubs") || route.StartsWith("/_blazor") || route.StartsWith("_blazor");

    private static void AssertCommonHeaders(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.True(response.Headers.Contains("Permissions-Policy"));
    }

    private static HttpRequestMessage FormPost(string path, string[] cookies, Dictionary<string, string> fields)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("Cookie", string.Join("; ", cookies.Select(NameAndValue)));
        return request;
    }

    private static string Cookie(HttpResponseMessage response, string name) =>
        Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(name + "=", StringComparison.Ordinal));

    private static string NameAndValue(string setCookie) => setCookie.Split(';')[0];

    private static string NonceOf(string policy) => Regex.Match(policy, "'nonce-([^']+)'").Groups[1].Value;

    private static string FormToken(string html) =>
        WebUtility.HtmlDecode(Regex.Match(html, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value) is { Length: > 0 } token
            ? token
            : throw new Xunit.Sdk.XunitException("the page has no antiforgery token");

    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();
}
