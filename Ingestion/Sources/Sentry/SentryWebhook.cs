using System.Text.Json;
using System.Text.Json.Serialization;

namespace AspireTickets.Ingestion.Sources.Sentry;

// Sentry integration-platform webhooks (docs.sentry.io, "Webhooks"): resource from the Sentry-Hook-Resource header,
// "event_alert" (issue alert rule triggered: data.event) and "issue" (created/resolved/unresolved/…: data.issue).

public sealed record SentryWebhook(
    [property: JsonPropertyName("action")] string? Action,
    [property: JsonPropertyName("installation")] SentryInstallation? Installation,
    [property: JsonPropertyName("data")] SentryData? Data,
    [property: JsonPropertyName("actor")] SentryActor? Actor);

public sealed record SentryInstallation([property: JsonPropertyName("uuid")] string? Uuid);

public sealed record SentryActor([property: JsonPropertyName("type")] string? Type, [property: JsonPropertyName("name")] string? Name);

public sealed record SentryData(
    [property: JsonPropertyName("event")] SentryEvent? Event,
    [property: JsonPropertyName("triggered_rule")] string? TriggeredRule,
    [property: JsonPropertyName("issue")] SentryIssue? Issue);

public sealed record SentryEvent(
    [property: JsonPropertyName("event_id")] string? EventId,
    [property: JsonPropertyName("issue_id")] JsonElement? IssueId,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("culprit")] string? Culprit,
    [property: JsonPropertyName("level")] string? Level,
    [property: JsonPropertyName("platform")] string? Platform,
    [property: JsonPropertyName("datetime")] string? DateTime,
    [property: JsonPropertyName("release")] string? Release,
    [property: JsonPropertyName("environment")] string? Environment,
    [property: JsonPropertyName("web_url")] string? WebUrl,
    [property: JsonPropertyName("issue_url")] string? IssueUrl,
    [property: JsonPropertyName("tags")] List<List<string?>?>? Tags,
    [property: JsonPropertyName("user")] SentryUser? User,
    [property: JsonPropertyName("exception")] SentryExceptionList? Exception);

public sealed record SentryUser(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("username")] string? Username);

public sealed record SentryExceptionList([property: JsonPropertyName("values")] List<SentryException?>? Values);

public sealed record SentryException(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("value")] string? Value,
    [property: JsonPropertyName("module")] string? Module,
    [property: JsonPropertyName("stacktrace")] SentryStacktrace? Stacktrace);

public sealed record SentryStacktrace([property: JsonPropertyName("frames")] List<SentryFrame?>? Frames);

public sealed record SentryFrame(
    [property: JsonPropertyName("filename")] string? Filename,
    [property: JsonPropertyName("abs_path")] string? AbsPath,
    [property: JsonPropertyName("function")] string? Function,
    [property: JsonPropertyName("module")] string? Module,
    [property: JsonPropertyName("lineno")] int? LineNo,
    [property: JsonPropertyName("colno")] int? ColNo,
    [property: JsonPropertyName("in_app")] bool? InApp);

public sealed record SentryIssue(
    [property: JsonPropertyName("id")] JsonElement? Id,
    [property: JsonPropertyName("shortId")] string? ShortId,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("culprit")] string? Culprit,
    [property: JsonPropertyName("level")] string? Level,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("platform")] string? Platform,
    [property: JsonPropertyName("firstSeen")] string? FirstSeen,
    [property: JsonPropertyName("permalink")] string? Permalink,
    [property: JsonPropertyName("web_url")] string? WebUrl,
    [property: JsonPropertyName("project")] SentryProject? Project,
    [property: JsonPropertyName("metadata")] SentryIssueMetadata? Metadata);

public sealed record SentryProject([property: JsonPropertyName("slug")] string? Slug, [property: JsonPropertyName("name")] string? Name);

public sealed record SentryIssueMetadata(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("value")] string? Value,
    [property: JsonPropertyName("filename")] string? Filename,
    [property: JsonPropertyName("function")] string? Function);
