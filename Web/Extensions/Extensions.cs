using System.Security.Claims;
using AspireTickets.Infrastructure.Auth;
using AspireTickets.Web.Components;
using AspireTickets.Web.Services;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor.Services;

namespace AspireTickets.Web.Extensions;

public static class Extensions
{
    /// <summary>Authentication scheme of the browser: people sign in with a cookie.</summary>
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;

    // In the embedded run one process serves both the UI (cookie) and the Api (API keys / service key);
    // this scheme picks by path so that each keeps its own rules and challenge (redirect vs 401 problem).
    private const string SelectorScheme = "web-or-api";

    public const string DisplayNameClaim = "display_name";

    public static IHostApplicationBuilder AddTicketsWeb(this IHostApplicationBuilder builder, bool embedded)
    {
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddCascadingAuthenticationState();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = SelectorScheme;
                options.DefaultChallengeScheme = SelectorScheme;
            })
            .AddPolicyScheme(SelectorScheme, null, options => options.ForwardDefaultSelector = context =>
                embedded && IsApiPath(context.Request.Path) ? ApiKeyAuthenticationHandler.SchemeName : CookieScheme)
            .AddCookie(CookieScheme, options =>
            {
                options.Cookie.Name = "aspiretickets.auth";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.LoginPath = "/account/login";
                options.LogoutPath = "/account/logout";
                options.AccessDeniedPath = "/account/denied";
                options.ExpireTimeSpan = TimeSpan.FromHours(10);
                options.SlidingExpiration = true;
                options.Events.OnValidatePrincipal = CookieRevalidation.ValidateAsync;
            });
        services.AddAuthorizationBuilder().AddTicketsPolicies();

        if (!embedded && string.IsNullOrEmpty(builder.Configuration["Auth:ServiceKey"]))
        {
            throw new InvalidOperationException("The Web needs Auth:ServiceKey (the same value as the Api's) to act for signed-in people.");
        }
        services.TryAddSingleton<WebServiceKey>();
        services.AddSingleton<ApiEndpoint>();
        services.AddSingleton(sp => new ApiCredentials(() => sp.GetRequiredService<ApiEndpoint>().ServiceKey));
        services.AddSingleton(sp => sp.GetRequiredService<ApiEndpoint>().Agents);
        services.AddHttpClient<TicketsApiClient>((sp, http) => http.BaseAddress = sp.GetRequiredService<ApiEndpoint>().BaseAddress);
        services.AddScoped<TicketsLiveUpdates>();
        services.AddScoped<UserPreferences>();
        return builder;
    }

    public static WebApplication UseTicketsWeb(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

        app.MapPost("/account/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieScheme);
            return Results.LocalRedirect("/account/login");
        }).DisableAntiforgery();
        return app;
    }

    /// <summary>The principal of the cookie, built from what the Api said about the person at sign-in.</summary>
    public static ClaimsPrincipal ToPrincipal(Api.Model.UserResponse user) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, user.UserName),
            new Claim(ClaimTypes.Role, user.Role),
            new Claim(DisplayNameClaim, user.DisplayName ?? user.UserName),
        ],
        CookieScheme));

    private static bool IsApiPath(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs") || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/ingest");
}
