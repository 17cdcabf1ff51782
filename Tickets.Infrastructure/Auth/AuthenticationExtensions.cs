using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace AspireTickets.Infrastructure.Auth;

public static class AuthenticationExtensions
{
    /// <summary>
    /// The staff authentication (API keys, stored API keys, the Web's service key naming a person) and the
    /// <see cref="TicketsPolicies"/>, for every service with endpoints: the Api and the Agents run it alone in the
    /// distributed run and both in the embedded one, so a second call adds nothing (a scheme may be added only once).
    /// </summary>
    public static IHostApplicationBuilder AddTicketsAuthentication(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(ApiKeyAuthenticationHandler)))
        {
            return builder;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WebServiceKey>();
        services.TryAddSingleton<UserDirectory>();
        services.TryAddSingleton<StoredApiKeys>();
        // The handler answers 401/403 with problem details.
        services.AddProblemDetails();

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddTicketsPolicies();
        return builder;
    }
}
