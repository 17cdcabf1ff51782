using System.Globalization;
using System.Text;
using AspireTickets.Domain.Events;
using Confluent.Kafka;

namespace AspireTickets.Infrastructure.Events.Kafka;

/// <summary>
/// How a <see cref="TicketEvent"/> looks on Kafka: key = ticket id (so one ticket stays on one partition, in
/// order), value = the event JSON, and headers with what tools and other consumers need without parsing.
/// </summary>
public static class KafkaMessages
{
    public const string TraceParentHeader = "traceparent";
    public const string TraceStateHeader = "tracestate";
    public const string EventTypeHeader = "event-type";
    public const string EventIdHeader = "event-id";
    public const string SchemaVersionHeader = "schema-version";

    /// <summary>Set on a replayed dead letter: only this consumer group processes the message; the others skip it.</summary>
    public const string TargetGroupHeader = "target-group";

    public const string ErrorHeader = "error";
    public const string AttemptsHeader = "attempts";
    public const string ConsumerGroupHeader = "consumer-group";
    public const string OriginalTopicHeader = "original-topic";
    public const string OriginalPartitionHeader = "original-partition";
    public const string OriginalOffsetHeader = "original-offset";

    public static Message<string, string> ToMessage(TicketEvent ticketEvent, string? targetGroup = null)
    {
        var headers = new Headers
        {
            { EventTypeHeader, Utf8(ticketEvent.Type) },
            { EventIdHeader, Utf8(ticketEvent.Id.ToString()) },
            { SchemaVersionHeader, Utf8(ticketEvent.SchemaVersion.ToString(CultureInfo.InvariantCulture)) },
        };
        if (!string.IsNullOrEmpty(ticketEvent.TraceParent))
        {
            headers.Add(TraceParentHeader, Utf8(ticketEvent.TraceParent));
        }
        if (!string.IsNullOrEmpty(ticketEvent.TraceState))
        {
            headers.Add(TraceStateHeader, Utf8(ticketEvent.TraceState));
        }
        if (targetGroup is not null)
        {
            headers.Add(TargetGroupHeader, Utf8(targetGroup));
        }
        return new Message<string, string>
        {
            Key = ticketEvent.TicketId.ToString(),
            Value = EventJson.Serialize(ticketEvent),
            Headers = headers,
        };
    }

    /// <summary>The event in the message, or null with the reason when the value is not a ticket event.</summary>
    public static TicketEvent? TryRead(Message<string, string> message, out string? error)
    {
        error = null;
        try
        {
            var ticketEvent = message.Value is null ? null : EventJson.Deserialize(message.Value);
            if (ticketEvent is null || ticketEvent.Id == Guid.Empty || string.IsNullOrEmpty(ticketEvent.Type))
            {
                error = "The message value is not a ticket event.";
                return null;
            }
            // The headers are authoritative for trace context: a proxy may have rewritten them on the way.
            var traceParent = Header(message.Headers, TraceParentHeader);
            return traceParent is null
                ? ticketEvent
                : ticketEvent with { TraceParent = traceParent, TraceState = Header(message.Headers, TraceStateHeader) ?? ticketEvent.TraceState };
        }
        catch (System.Text.Json.JsonException ex)
        {
            error = $"The message value is not valid JSON: {ex.Message}";
            return null;
        }
    }

    /// <summary>The original message with the dead-letter facts added as headers.</summary>
    public static Message<string, string> ToDeadLetter(ConsumeResult<string, string> original, string consumerGroup, string error, int attempts)
    {
        var headers = new Headers();
        foreach (var header in original.Message.Headers ?? [])
        {
            headers.Add(header.Key, header.GetValueBytes());
        }
        headers.Add(ErrorHeader, Utf8(error));
        headers.Add(AttemptsHeader, Utf8(attempts.ToString(CultureInfo.InvariantCulture)));
        headers.Add(ConsumerGroupHeader, Utf8(consumerGroup));
        headers.Add(OriginalTopicHeader, Utf8(original.Topic));
        headers.Add(OriginalPartitionHeader, Utf8(original.Partition.Value.ToString(CultureInfo.InvariantCulture)));
        headers.Add(OriginalOffsetHeader, Utf8(original.Offset.Value.ToString(CultureInfo.InvariantCulture)));
        return new Message<string, string> { Key = original.Message.Key, Value = original.Message.Value, Headers = headers };
    }

    public static string? Header(Headers? headers, string key) =>
        headers is not null && headers.TryGetLastBytes(key, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    private static byte[] Utf8(string value) => Encoding.UTF8.GetBytes(value);
}
