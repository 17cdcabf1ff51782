using System.Text.Json;
using AspireTickets.Domain.Events;

namespace AspireTickets.Infrastructure.Events;

/// <summary>The one JSON shape of <see cref="TicketEvent"/> on the wire (Kafka message values).</summary>
public static class EventJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Serialize(TicketEvent ticketEvent) => JsonSerializer.Serialize(ticketEvent, Options);

    public static TicketEvent? Deserialize(string json) => JsonSerializer.Deserialize<TicketEvent>(json, Options);
}
