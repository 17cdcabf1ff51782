using AspireTickets.Api.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace AspireTickets.Web.Services;

/// <summary>
/// Where the Web reaches the Api. Distributed run (<c>services:api:*</c> set by the AppHost): the <c>api</c> service
/// through service discovery. Embedded run: this very process over loopback HTTP. Going through HTTP in both runs
/// means the pages exercise the same endpoints, validation, authorization and problem details as any client, with
/// no second in-process code path to keep in step.
/// </summary>
public sealed class ApiEndpoint(IConfiguration configuration, IServiceProvider services)
{
    public static bool IsEmbedded(IConfiguration configuration) =>
        string.IsNullOrEmpty(configuration["services:api:http:0"]) && string.IsNullOrEmpty(configuration["services:api:https:0"]);

    public bool Embedded => IsEmbedded(configuration);

    public string ServiceKey => services.GetRequiredService<WebServiceKey>().Value;

    /// <summary>The HttpClient base address (service discovery resolves <c>https+http://api</c>).</summary>
    public Uri BaseAddress => Embedded ? LocalAddress() : new Uri("https+http://api");

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
