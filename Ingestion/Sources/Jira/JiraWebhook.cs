using System.Text.Json;
using System.Text.Json.Serialization;

namespace AspireTickets.Ingestion.Sources.Jira;

// The Jira Cloud webhook body (developer.atlassian.com, "Webhooks"): webhookEvent plus the issue as the REST API
// returns it. description and comment bodies are a plain/wiki string (API v2) or an ADF document (API v3).

public sealed record JiraWebhook(
    [property: JsonPropertyName("webhookEvent")] string? WebhookEvent,
    [property: JsonPropertyName("timestamp")] long? Timestamp,
    [property: JsonPropertyName("issue_event_type_name")] string? IssueEventTypeName,
    [property: JsonPropertyName("user")] JiraUser? User,
    [property: JsonPropertyName("issue")] JiraIssue? Issue,
    [property: JsonPropertyName("comment")] JiraComment? Comment,
    [property: JsonPropertyName("changelog")] JiraChangelog? Changelog);

public sealed record JiraIssue(
    [property: JsonPropertyName("id")] JsonElement? Id,
    [property: JsonPropertyName("key")] string? Key,
    [property: JsonPropertyName("self")] string? Self,
    [property: JsonPropertyName("fields")] JiraFields? Fields);

public sealed record JiraFields(
    [property: JsonPropertyName("summary")] string? Summary,
    [property: JsonPropertyName("description")] JsonElement? Description,
    [property: JsonPropertyName("priority")] JiraNamed? Priority,
    [property: JsonPropertyName("issuetype")] JiraNamed? IssueType,
    [property: JsonPropertyName("status")] JiraStatus? Status,
    [property: JsonPropertyName("labels")] List<string?>? Labels,
    [property: JsonPropertyName("components")] List<JiraNamed?>? Components,
    [property: JsonPropertyName("reporter")] JiraUser? Reporter,
    [property: JsonPropertyName("project")] JiraProject? Project,
    [property: JsonPropertyName("created")] string? Created,
    [property: JsonPropertyName("updated")] string? Updated);

public sealed record JiraNamed([property: JsonPropertyName("id")] JsonElement? Id, [property: JsonPropertyName("name")] string? Name);

public sealed record JiraStatus(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("statusCategory")] JiraStatusCategory? StatusCategory);

public sealed record JiraStatusCategory([property: JsonPropertyName("key")] string? Key, [property: JsonPropertyName("name")] string? Name);

public sealed record JiraProject([property: JsonPropertyName("key")] string? Key, [property: JsonPropertyName("name")] string? Name);

public sealed record JiraUser(
    [property: JsonPropertyName("accountId")] string? AccountId,
    [property: JsonPropertyName("displayName")] string? DisplayName,
    [property: JsonPropertyName("emailAddress")] string? EmailAddress);

public sealed record JiraComment(
    [property: JsonPropertyName("id")] JsonElement? Id,
    [property: JsonPropertyName("body")] JsonElement? Body,
    [property: JsonPropertyName("author")] JiraUser? Author,
    [property: JsonPropertyName("created")] string? Created,
    [property: JsonPropertyName("jsdPublic")] bool? JsdPublic);

public sealed record JiraChangelog([property: JsonPropertyName("items")] List<JiraChangeItem>? Items);

public sealed record JiraChangeItem(
    [property: JsonPropertyName("field")] string? Field,
    [property: JsonPropertyName("fromString")] string? FromString,
    [property: JsonPropertyName("toString")] string? ToString_);
