using AspireTickets.Domain.Events;
using AspireTickets.Domain.Tickets;
using AspireTickets.Infrastructure.Events.Consumers;

namespace AspireTickets.Api.Hubs;

/// <summary>
/// Feeds the live updates from the event log, so that every writer's change reaches the screens — the Api's own,
/// but also ingestion's new tickets, the agents' analyses and escalations. In the distributed run one Api replica
/// handles each event and the Redis backplane fans it out to the clients of all replicas.
/// </summary>
public sealed class LiveUpdatesEventHandler(IEnumerable<ITicketChangeNotifier> notifiers) : IEventHandler
{
    public const string ConsumerGroup = "live-updates";

    public async Task HandleAsync(TicketEvent ticketEvent, CancellationToken cancellationToken)
    {
        var kind = ticketEvent.Type switch
        {
            TicketEventTypes.Created => TicketChange.Created,
            TicketEventTypes.Archived => TicketChange.Archived,
            _ => TicketChange.Updated,
        };
        var change = new TicketChange(ticketEvent.TicketId, kind, 0, ticketEvent.OccurredAt, [.. ticketEvent.ReadChangedFields(), ticketEvent.Type]);
        foreach (var notifier in notifiers)
        {
            await notifier.TicketChangedAsync(change, cancellationToken);
        }
    }
}
