using System.Text.Json.Serialization;

namespace AspireTickets.Ingestion.Sources.Alertmanager;

// Prometheus Alertmanager webhook_config payload, version 4 (prometheus.io/docs/alerting/latest/configuration/#webhook_config).

public sealed record AlertmanagerWebhook(
    [property: JsonPropertyName("version")] string? Version,
    [property: JsonPropertyName("groupKey")] string? GroupKey,
    [property: JsonPropertyName("truncatedAlerts")] int? TruncatedAlerts,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("receiver")] string? Receiver,
    [property: JsonPropertyName("groupLabels")] Dictionary<string, string>? GroupLabels,
    [property: JsonPropertyName("commonLabels")] Dictionary<string, string>? CommonLabels,
    [property: JsonPropertyName("commonAnnotations")] Dictionary<string, string>? CommonAnnotations,
    [property: JsonPropertyName("externalURL")] string? ExternalUrl,
    [property: JsonPropertyName("alerts")] List<Alert?>? Alerts);

public sealed record Alert(
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("labels")] Dictionary<string, string>? Labels,
    [property: JsonPropertyName("annotations")] Dictionary<string, string>? Annotations,
    [property: JsonPropertyName("startsAt")] string? StartsAt,
    [property: JsonPropertyName("endsAt")] string? EndsAt,
    [property: JsonPropertyName("generatorURL")] string? GeneratorUrl,
    [property: JsonPropertyName("fingerprint")] string? Fingerprint);
