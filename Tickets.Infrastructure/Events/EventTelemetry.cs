using System.Diagnostics;
using System.Diagnostics.Metrics;
using AspireTickets.Domain.Diagnostics;
using AspireTickets.Domain.Events;

namespace AspireTickets.Infrastructure.Events;

/// <summary>
/// Spans and counters of the event log. Publish and consume spans take the event's own traceparent as parent,
/// so a ticket's trace runs from the request that changed it through every consumer, whichever process runs it.
/// </summary>
public static class EventTelemetry
{
    public const string PublishedName = "tickets.events.published";
    public const string ConsumedName = "tickets.events.consumed";
    public const string RetriedName = "tickets.events.retried";
    public const string DeadLetteredName = "tickets.events.dead_lettered";

    private static readonly Counter<long> Published =
        TicketsTelemetry.Meter.CreateCounter<long>(PublishedName, "{event}", "Events appended to the event log");
    private static readonly Counter<long> Consumed =
        TicketsTelemetry.Meter.CreateCounter<long>(ConsumedName, "{event}", "Events a consumer group's handler completed");
    private static readonly Counter<long> Retried =
        TicketsTelemetry.Meter.CreateCounter<long>(RetriedName, "{attempt}", "Failed handler attempts that will be retried");
    private static readonly Counter<long> DeadLettered =
        TicketsTelemetry.Meter.CreateCounter<long>(DeadLetteredName, "{event}", "Events given up on after the last attempt");

    public static Activity? StartPublish(TicketEvent ticketEvent, string system, string destination)
    {
        var activity = TicketsTelemetry.ActivitySource.StartActivity($"publish {ticketEvent.Type}", ActivityKind.Producer, ParentOf(ticketEvent));
        activity?.SetTag("messaging.system", system)
            .SetTag("messaging.operation.type", "send")
            .SetTag("messaging.destination.name", destination)
            .SetTag("messaging.message.id", ticketEvent.Id.ToString())
            .SetTag("tickets.event.type", ticketEvent.Type)
            .SetTag("tickets.ticket.id", ticketEvent.TicketId.ToString());
        return activity;
    }

    public static Activity? StartConsume(TicketEvent ticketEvent, string system, string consumerGroup, int attempt)
    {
        var activity = TicketsTelemetry.ActivitySource.StartActivity($"process {ticketEvent.Type}", ActivityKind.Consumer, ParentOf(ticketEvent));
        activity?.SetTag("messaging.system", system)
            .SetTag("messaging.operation.type", "process")
            .SetTag("messaging.consumer.group.name", consumerGroup)
            .SetTag("messaging.message.id", ticketEvent.Id.ToString())
            .SetTag("tickets.event.type", ticketEvent.Type)
            .SetTag("tickets.ticket.id", ticketEvent.TicketId.ToString())
            .SetTag("tickets.delivery.attempt", attempt);
        return activity;
    }

    /// <summary>The event's trace context, or default (then the ambient activity, if any, is the parent).</summary>
    public static ActivityContext ParentOf(TicketEvent ticketEvent) =>
        ActivityContext.TryParse(ticketEvent.TraceParent, ticketEvent.TraceState, isRemote: true, out var context) ? context : default;

    internal static void RecordPublished(TicketEvent e) => Published.Add(1, new KeyValuePair<string, object?>("tickets.event.type", e.Type));

    internal static void RecordConsumed(TicketEvent e, string group) => Consumed.Add(1, Tags(e, group));

    internal static void RecordRetried(TicketEvent e, string group) => Retried.Add(1, Tags(e, group));

    internal static void RecordDeadLettered(TicketEvent e, string group) => DeadLettered.Add(1, Tags(e, group));

    private static TagList Tags(TicketEvent e, string group) => new()
    {
        { "tickets.event.type", e.Type },
        { "messaging.consumer.group.name", group },
    };
}
