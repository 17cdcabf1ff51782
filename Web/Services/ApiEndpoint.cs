using AspireTickets.Infrastructure.Auth;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace AspireTickets.Web.Services;

/// <summary>
/// Where the Web reaches the Api and the Agents. Distributed run (<c>services:api:*</c> set by the AppHost): the
/// <c>api</c> service through service discovery, and for the agents' endpoints (workflow runs, agents health, knowledge
/// base) the <c>agents</c> service when <c>services:agents:*</c> is set. Embedded run: this very process over loopback
/// HTTP. Going through HTTP in both runs means the pages exercise the same endpoints, validation, authorization and
/// problem details as any client, with no second in-process code path to keep in step.
/// </summary>
public sealed class ApiEndpoint(IConfiguration configuration, IServiceProvider services)
{
    public static bool IsEmbedded(IConfiguration configuration) => !IsConfigured(configuration, "api");

    /// <summary>The agents service's address (service discovery resolves it) when the AppHost linked it; null when the agents are in this process or not linked.</summary>
    public static Uri? AgentsServiceAddress(IConfiguration configuration) =>
        !IsEmbedded(configuration) && IsConfigured(configuration, "agents") ? new Uri("https+http://agents") : null;

    /// <summary>Whether an Api path (relative, without a leading slash) is served by the Agents module.</summary>
    public static bool IsAgentsPath(string path)
    {
        var route = path.AsSpan();
        route = route[..(route.IndexOfAny('?', '#') is >= 0 and var end ? end : route.Length)];
        return route.StartsWith("api/workflows/", StringComparison.Ordinal)
            || route is "api/agents/health" or "api/agents/models" or "api/kb"
            || route.StartsWith("api/agents/models/", StringComparison.Ordinal)
            || route.StartsWith("api/kb/", StringComparison.Ordinal)
            || (route.StartsWith("api/tickets/", StringComparison.Ordinal) && (route.EndsWith("/workflows", StringComparison.Ordinal) || route.EndsWith("/workflow", StringComparison.Ordinal)));
    }

    private static bool IsConfigured(IConfiguration configuration, string service) =>
        !string.IsNullOrEmpty(configuration[$"services:{service}:http:0"]) || !string.IsNullOrEmpty(configuration[$"services:{service}:https:0"]);

    public bool Embedded => IsEmbedded(configuration);

    public string ServiceKey => services.GetRequiredService<WebServiceKey>().Value;

    /// <summary>The HttpClient base address (service discovery resolves <c>https+http://api</c>).</summary>
    public Uri BaseAddress => Embedded ? LocalAddress() : new Uri("https+http://api");

    /// <summary>Where the agents' endpoints are when that is not <see cref="BaseAddress"/>.</summary>
    public AgentsRoute Agents => new(AgentsServiceAddress(configuration));

    /// <summary>The hub's URL; the SignalR client does not use service discovery, so it takes the address itself.</summary>
    public Uri HubUrl => new(Embedded ? LocalAddress() : new Uri(configuration["services:api:https:0"] ?? configuration["services:api:http:0"]!), TicketsHubPath);

    public const string TicketsHubPath = "/hubs/tickets";

    // The server's own address, known once Kestrel listens. Plain HTTP is preferred: loopback needs no TLS, and
    // the development certificate may not be trusted by this process.
    private Uri LocalAddress()
    {
        var addresses = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var chosen = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The server has no listening address yet, so the embedded Api cannot be reached.");
        var uri = new UriBuilder(chosen.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "127.0.0.1";
        }
        return new Uri(uri.Uri.GetLeftPart(UriPartial.Authority) + "/");
    }
}

/// <summary>The agents service's address for <see cref="TicketsApiClient"/>; null sends the agents' calls to the base address with the rest.</summary>
public sealed record AgentsRoute(Uri? Address)
{
    /// <summary>The request URI for an Api path (relative, without a leading slash).</summary>
    public Uri For(string path) =>
        Address is not null && ApiEndpoint.IsAgentsPath(path) ? new Uri(Address, path) : new Uri(path, UriKind.Relative);
}
