namespace AspireTickets.Domain.Tickets;

/// <summary>
/// One support ticket in the single shape every source is normalized to.
/// Mutations go through <see cref="TicketEditor"/> so that each changed field yields an audit entry.
/// </summary>
public sealed class Ticket
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>Where the ticket came from: <c>jira</c>, <c>zendesk</c>, <c>email</c>, <c>api</c>, <c>web</c>…</summary>
    public string Source { get; set; } = TicketSources.Api;

    /// <summary>Unique across all tickets (<c>jira:PROJ-12</c>, <c>email:&lt;message-id&gt;</c>); re-delivery of the same item finds it.</summary>
    public string SourceKey { get; set; } = "";

    public string Title { get; set; } = "";
    public string Description { get; set; } = "";
    public Person? Reporter { get; set; }
    public string? Organization { get; set; }
    public TicketStatus Status { get; set; } = TicketStatus.New;
    public TicketPriority Priority { get; set; } = TicketPriority.Medium;
    public string? Category { get; set; }
    public List<string> Labels { get; set; } = [];
    public string? Assignee { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? FirstResponseAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public SlaDueTimes Sla { get; set; } = new();

    public List<TicketComment> Comments { get; set; } = [];
    public TicketAnalysis? Analysis { get; set; }

    /// <summary>Language, sentiment, keywords, entities and the PII-masked text, set at ingestion.</summary>
    public TextInsights? Insights { get; set; }

    /// <summary>The original ticket when this one was linked as a duplicate.</summary>
    public Guid? DuplicateOf { get; set; }

    /// <summary>Soft delete: archived tickets are hidden from lists and indexes but can be restored.</summary>
    public DateTimeOffset? ArchivedAt { get; set; }

    /// <summary>
    /// The trace context of the work that created the ticket (the webhook request, the API call). Work for the ticket
    /// that starts on its own later, like the SLA escalation timer, continues this trace, so one ticket is one trace
    /// from ingestion to its notifications. Null for tickets created outside any traced activity.
    /// </summary>
    public Diagnostics.TraceOrigin? Origin { get; set; }

    /// <summary>Optimistic concurrency: incremented by the store on every successful write.</summary>
    public long Version { get; set; }

    public bool IsArchived => ArchivedAt is not null;
}

public sealed record Person(string? Name, string? Email);

public sealed class TicketComment
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Author { get; set; } = "";
    public bool IsPublic { get; set; } = true;
    public string Text { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Set when the comment came from a source (an e-mail reply's message id), so re-delivery adds it once.</summary>
    public string? SourceKey { get; set; }
}

public sealed class SlaDueTimes
{
    public DateTimeOffset? FirstResponseDueAt { get; set; }
    public DateTimeOffset? ResolutionDueAt { get; set; }
}

public static class TicketSources
{
    public const string Api = "api";
    public const string Web = "web";
    public const string Jira = "jira";
    public const string Zendesk = "zendesk";
    public const string Email = "email";
    public const string Alertmanager = "alertmanager";
    public const string Sentry = "sentry";
    public const string Import = "import";
    public const string Kafka = "kafka";
    public const string Demo = "demo";
}
