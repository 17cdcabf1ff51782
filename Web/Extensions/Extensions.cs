using System.Security.Claims;
using AspireTickets.Infrastructure.Auth;
using AspireTickets.Web.Components;
using AspireTickets.Web.Security;
using AspireTickets.Web.Services;
using Microsoft.AspNetCore.Antiforgery;
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
        // The sign-in cookie travels only over HTTPS outside Development; `dotnet run` on http://localhost keeps working there.
        var cookieSecurity = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
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
                // Lax, not Strict: a link to a ticket in an e-mail or chat must open signed in.
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = cookieSecurity;
                options.LoginPath = "/account/login";
                options.LogoutPath = "/account/logout";
                options.AccessDeniedPath = "/account/denied";
                options.ExpireTimeSpan = TimeSpan.FromHours(10);
                options.SlidingExpiration = true;
                options.Events.OnValidatePrincipal = CookieRevalidation.ValidateAsync;
            });
        services.AddAuthorizationBuilder().AddTicketsPolicies();
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "aspiretickets.antiforgery";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            // Secure whenever the request is HTTPS. Not Always: antiforgery then refuses to render any form over
            // plain HTTP (a 500), and the token alone is worthless without the sign-in cookie, which is Always.
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

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

    /// <summary>
    /// Transport and header rules, first in the pipeline so that every answer (errors and the API's included) has them:
    /// outside Development, HTTP is redirected to HTTPS and browsers are told to stay there (HSTS); everywhere, the
    /// <see cref="SecurityHeadersMiddleware"/> headers.
    /// </summary>
    public static WebApplication UseTicketsWebSecurity(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }
        app.UseMiddleware<SecurityHeadersMiddleware>();
        return app;
    }

    public static WebApplication UseTicketsWeb(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

        // The sign-out form carries an antiforgery token like every other form: another site must not sign people out.
        // The antiforgery middleware only records its verdict; endpoints that bind no form must read it themselves.
        // A browser form, not an API operation: kept out of the OpenAPI document.
        app.MapPost("/account/logout", async (HttpContext context) =>
        {
            if (context.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true })
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Missing or invalid antiforgery token",
                    detail: "Sign out from the page's own form.");
            }
            await context.SignOutAsync(CookieScheme);
            return Results.LocalRedirect("/account/login");
        }).WithMetadata(new RequireAntiforgeryTokenAttribute()).ExcludeFromDescription();
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
