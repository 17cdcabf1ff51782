using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using AspireTickets.Infrastructure.Auth;
using AspireTickets.Web.Services;
using Bunit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace AspireTickets.Tests.Web;

/// <summary>
/// bUnit with the Web's real services except the network: the typed Api client sends to <see cref="ApiStub"/>, which
/// records each request and answers from canned routes. Authorization uses the Api's real policies, so role checks
/// are the product's own.
/// </summary>
public sealed class WebTestContext : BunitContext
{
    public ApiStub Api { get; } = new();

    public TestAuthenticationStateProvider Authentication { get; } = new();

    static WebTestContext()
    {
        // Waits end as soon as their condition holds; the long limit only matters on a loaded CI machine.
        DefaultWaitTimeout = TimeSpan.FromSeconds(30);
    }

    public WebTestContext(string role = "agent")
    {
        Authentication.SignIn("pat", role);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices(options => options.SnackbarConfiguration.ShowTransitionDuration = 0);
        Services.AddAuthorizationCore();
        Services.AddAuthorizationBuilder().AddTicketsPolicies();
        // bUnit registers placeholders that refuse to authorize; the real ones evaluate the real policies.
        Services.AddSingleton<IAuthorizationService, DefaultAuthorizationService>();
        Services.AddSingleton<IAuthorizationPolicyProvider, DefaultAuthorizationPolicyProvider>();
        Services.AddCascadingAuthenticationState();
        Services.AddSingleton<AuthenticationStateProvider>(Authentication);
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        Services.AddSingleton<WebServiceKey>();
        Services.AddSingleton<ApiEndpoint>();
        Services.AddSingleton(TimeProvider.System);
        Services.AddScoped<UserPreferences>();
        Services.AddScoped<TicketsLiveUpdates>();
        Services.AddSingleton(new TicketsApiClient(new HttpClient(Api) { BaseAddress = new Uri("http://api.test/") }, Authentication, new ApiCredentials(() => "service-key")));
    }

    /// <summary>Popovers (select menus, snackbars) render into this provider.</summary>
    public IRenderedComponent<MudPopoverProvider> RenderPopovers() => Render<MudPopoverProvider>();
}

public sealed class TestAuthenticationStateProvider : AuthenticationStateProvider
{
    private ClaimsPrincipal _user = new(new ClaimsIdentity());

    public void SignIn(string name, string role)
    {
        _user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], "test"));
        NotifyAuthenticationStateChanged(GetAuthenticationStateAsync());
    }

    public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(_user));
}

/// <summary>A fake Api: routes are matched by method and path prefix; unmatched requests get 404 (a feature not deployed).</summary>
public sealed class ApiStub : HttpMessageHandler
{
    private readonly List<(HttpMethod Method, string Path, Func<RecordedRequest, (HttpStatusCode, object?)> Respond)> _routes = [];

    public List<RecordedRequest> Requests { get; } = [];

    public ApiStub On(HttpMethod method, string pathPrefix, Func<RecordedRequest, (HttpStatusCode, object?)> respond)
    {
        _routes.Insert(0, (method, pathPrefix, respond));
        return this;
    }

    public ApiStub On(HttpMethod method, string pathPrefix, object? body, HttpStatusCode status = HttpStatusCode.OK) =>
        On(method, pathPrefix, _ => (status, body));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(request.Method, request.RequestUri!.AbsolutePath, request.RequestUri.Query, body,
            request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase));
        lock (Requests)
        {
            Requests.Add(recorded);
        }
        var route = _routes.FirstOrDefault(r => r.Method == request.Method && recorded.Path.StartsWith(r.Path, StringComparison.Ordinal));
        var (status, payload) = route.Respond is null ? (HttpStatusCode.NotFound, (object?)new { title = "Not Found", status = 404 }) : route.Respond(recorded);
        return new HttpResponseMessage(status)
        {
            Content = new StringContent(payload is null ? "" : JsonSerializer.Serialize(payload, TicketsApiClient.Json), Encoding.UTF8,
                (int)status >= 400 ? "application/problem+json" : "application/json"),
        };
    }

    public static object ValidationProblem(string field, string reason) =>
        new { title = "One or more validation errors occurred.", status = 400, errors = new Dictionary<string, string[]> { [field] = [reason] } };
}

public sealed record RecordedRequest(HttpMethod Method, string Path, string Query, string? Body, IReadOnlyDictionary<string, string> Headers)
{
    public JsonElement Json => JsonDocument.Parse(Body ?? "null").RootElement;
}
