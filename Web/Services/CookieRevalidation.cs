using System.Globalization;
using AspireTickets.Api.Model;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace AspireTickets.Web.Services;

/// <summary>
/// Keeps the sign-in cookie in step with the Api's user records: every few minutes a request re-reads the person,
/// so a disabled account is signed out and a changed role shows in the UI (the Api enforces both at once anyway).
/// </summary>
public static class CookieRevalidation
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    private const string CheckedAtKey = "checked_at";

    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var name = context.Principal?.Identity?.Name;
        var now = DateTimeOffset.UtcNow;
        if (name is null
            || (context.Properties.Items.TryGetValue(CheckedAtKey, out var last)
                && DateTimeOffset.TryParse(last, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var checkedAt)
                && now - checkedAt < Interval))
        {
            return;
        }

        UserResponse? user;
        try
        {
            user = await context.HttpContext.RequestServices.GetRequiredService<TicketsApiClient>().GetUserAsync(name, context.HttpContext.RequestAborted);
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiProblemException or TaskCanceledException)
        {
            // The Api is unreachable: keep the session; the next request tries again.
            return;
        }

        if (user is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Extensions.Extensions.CookieScheme);
            return;
        }
        context.Properties.Items[CheckedAtKey] = now.ToString("O", CultureInfo.InvariantCulture);
        if (!context.Principal!.IsInRole(user.Role))
        {
            context.ReplacePrincipal(Extensions.Extensions.ToPrincipal(user));
        }
        context.ShouldRenew = true;
    }
}
