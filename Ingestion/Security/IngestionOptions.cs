namespace AspireTickets.Ingestion.Security;

/// <summary>Section <c>Ingestion</c>. A source is enabled only when its secret or token is configured.</summary>
public sealed class IngestionOptions
{
    public const string SectionName = "Ingestion";

    public Dictionary<string, SourceOptions> Sources { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    // Binding may hand us a dictionary without our comparer; "Jira" from an environment variable is still jira.
    public SourceOptions? For(string source) =>
        Sources.TryGetValue(source, out var options) ? options
        : Sources.FirstOrDefault(s => string.Equals(s.Key, source, StringComparison.OrdinalIgnoreCase)).Value;
}

public sealed class SourceOptions
{
    /// <summary>HMAC key of signed webhooks (Jira, Zendesk, Sentry).</summary>
    public string? Secret { get; set; }

    /// <summary>Bearer token of token-authenticated sources (Alertmanager, e-mail relay, bulk import).</summary>
    public string? Token { get; set; }

    /// <summary>Overrides the source's default body limit.</summary>
    public long? MaxBodyBytes { get; set; }

    /// <summary>How far a signed timestamp may be from our clock (replay window). Default five minutes.</summary>
    public TimeSpan? TimestampTolerance { get; set; }
}
