using System.Text.Json.Serialization;

namespace AspireTickets.Ingestion.Sources.Kafka;

/// <summary>
/// A ticket another system publishes on <c>tickets-inbound</c>. <see cref="System"/> + <see cref="Id"/> identify it
/// there; publishing it again (or an edited version) updates the same ticket.
/// </summary>
public sealed record InboundTicketMessage(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("system")] string? System,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("priority")] string? Priority,
    [property: JsonPropertyName("reporter")] InboundPerson? Reporter,
    [property: JsonPropertyName("organization")] string? Organization,
    [property: JsonPropertyName("labels")] List<string?>? Labels,
    [property: JsonPropertyName("createdAt")] string? CreatedAt);

public sealed record InboundPerson([property: JsonPropertyName("name")] string? Name, [property: JsonPropertyName("email")] string? Email);
