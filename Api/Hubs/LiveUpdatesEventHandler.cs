using System.Text.Json;
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
        var change = new TicketChange(ticketEvent.TicketId, kind, 0, ticketEvent.OccurredAt, [.. Fields(ticketEvent.Data), ticketEvent.Type]);
        foreach (var notifier in notifiers)
        {
            await notifier.TicketChangedAsync(change, cancellationToken);
        }
    }

    // Updates say which fields changed ({"fields":[...]}); other events carry their own data, or none.
    private static IEnumerable<string> Fields(string? data)
    {
        if (string.IsNullOrEmpty(data))
        {
            return [];
        }
        try
        {
            using var json = JsonDocument.Parse(data);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("fields", out var fields) && fields.ValueKind == JsonValueKind.Array
                ? [.. fields.EnumerateArray().Where(f => f.ValueKind == JsonValueKind.String).Select(f => f.GetString()!)]
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
