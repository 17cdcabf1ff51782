using System.Text.Json;
using System.Text.Json.Serialization;

namespace AspireTickets.Ingestion.Sources.Zendesk;

// A Zendesk ticket event webhook (developer.zendesk.com, "Ticket events"): type zen:event-type:ticket.*,
// detail = the ticket after the change, event = what changed.

public sealed record ZendeskWebhook(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("subject")] string? Subject,
    [property: JsonPropertyName("time")] string? Time,
    [property: JsonPropertyName("account_id")] JsonElement? AccountId,
    [property: JsonPropertyName("zendesk_event_version")] string? EventVersion,
    [property: JsonPropertyName("detail")] ZendeskTicket? Detail,
    [property: JsonPropertyName("event")] ZendeskEvent? Event);

public sealed record ZendeskTicket(
    [property: JsonPropertyName("id")] JsonElement? Id,
    [property: JsonPropertyName("subject")] string? Subject,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("priority")] string? Priority,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("tags")] List<string?>? Tags,
    [property: JsonPropertyName("created_at")] string? CreatedAt,
    [property: JsonPropertyName("updated_at")] string? UpdatedAt,
    [property: JsonPropertyName("requester_id")] JsonElement? RequesterId,
    [property: JsonPropertyName("organization_id")] JsonElement? OrganizationId,
    [property: JsonPropertyName("via")] ZendeskVia? Via);

public sealed record ZendeskVia([property: JsonPropertyName("channel")] string? Channel);

public sealed record ZendeskEvent(
    [property: JsonPropertyName("current")] JsonElement? Current,
    [property: JsonPropertyName("previous")] JsonElement? Previous,
    [property: JsonPropertyName("comment")] ZendeskComment? Comment);

public sealed record ZendeskComment(
    [property: JsonPropertyName("id")] JsonElement? Id,
    [property: JsonPropertyName("body")] string? Body,
    [property: JsonPropertyName("is_public")] bool? IsPublic,
    [property: JsonPropertyName("author")] ZendeskAuthor? Author);

public sealed record ZendeskAuthor(
    [property: JsonPropertyName("id")] JsonElement? Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("is_staff")] bool? IsStaff);
