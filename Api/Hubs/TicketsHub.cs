using AspireTickets.Domain.Tickets;
using Microsoft.AspNetCore.SignalR;

namespace AspireTickets.Api.Hubs;

/// <summary>
/// Live updates for the Web (<c>/hubs/tickets</c>): every stored ticket change is pushed as <see cref="ChangedMethod"/>
/// with a <see cref="TicketChange"/>. Clients only listen; with <c>ConnectionStrings:cache</c> the Redis backplane
/// fans changes out across Api replicas.
/// </summary>
public sealed class TicketsHub : Hub
{
    public const string Path = "/hubs/tickets";
    public const string ChangedMethod = "TicketChanged";
}

/// <summary>Sends each ticket change to every connected client of <see cref="TicketsHub"/>.</summary>
public sealed class HubTicketChangeNotifier(IHubContext<TicketsHub> hub, ILogger<HubTicketChangeNotifier> logger) : ITicketChangeNotifier
{
    public async Task TicketChangedAsync(TicketChange change, CancellationToken cancellationToken = default)
    {
        try
        {
            await hub.Clients.All.SendAsync(TicketsHub.ChangedMethod, change, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Live updates are a convenience; screens reload on navigation anyway.
            logger.LogWarning(ex, "Could not push the change of ticket {TicketId} to live clients.", change.TicketId);
        }
    }
}
