using AspireTickets.Domain.Tickets;

namespace AspireTickets.Infrastructure.Notifications;

public enum NotificationChannelKind
{
    /// <summary>POST of the JSON notification signed with <c>X-Signature: sha256=&lt;hex HMAC&gt;</c>.</summary>
    Webhook,

    /// <summary>POST of a Slack incoming-webhook payload (<c>text</c> and <c>blocks</c>); Mattermost and Teams workflows accept it too.</summary>
    Slack,

    /// <summary>E-mail over the SMTP server of <c>Notifications:Smtp</c>.</summary>
    Email,

    /// <summary>The escalation queue of the CDK stack (<c>AWS:Resources:escalations:QueueUrl</c>); configured, not stored.</summary>
    Sqs,
}

/// <summary>Where escalation notifications go (document collection <c>notification_channels</c>).</summary>
public sealed class NotificationChannel
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public NotificationChannelKind Kind { get; set; }

    /// <summary>Target of a webhook or Slack channel; the queue URL of the SQS channel.</summary>
    public string? Url { get; set; }

    /// <summary>HMAC key of a webhook channel. Never returned by the API.</summary>
    public string? Secret { get; set; }

    /// <summary>Addresses of an e-mail channel (the assignee is added at level 1 when it is an address).</summary>
    public List<string> Recipients { get; set; } = [];

    /// <summary>The escalation levels this channel receives.</summary>
    public List<int> Levels { get; set; } = [1, 2, 3];

    public bool Enabled { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>What an escalation tells people: which ticket, which level, who should act and why.</summary>
public sealed record EscalationNotification
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public string Type { get; init; } = Domain.Events.TicketEventTypes.Escalated;
    public Guid TicketId { get; init; }
    public string Title { get; init; } = "";
    public int Level { get; init; }
    public IReadOnlyList<string> Audience { get; init; } = [];
    public TicketPriority Priority { get; init; }
    public TicketPriority PreviousPriority { get; init; }
    public string? Assignee { get; init; }
    public string Reason { get; init; } = "";
    public DateTimeOffset? DueAt { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
}

public enum DeliveryStatus
{
    /// <summary>Not delivered yet; retried at <see cref="NotificationDelivery.NextAttemptAt"/>.</summary>
    Pending,
    Delivered,

    /// <summary>Every attempt failed; kept with the last error for people to see.</summary>
    Failed,
}

/// <summary>One notification to one channel, with its attempts (document collection <c>notification_deliveries</c>).</summary>
public sealed class NotificationDelivery
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string ChannelId { get; set; } = "";
    public string ChannelName { get; set; } = "";
    public NotificationChannelKind ChannelKind { get; set; }
    public DeliveryStatus Status { get; set; } = DeliveryStatus.Pending;
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public EscalationNotification Notification { get; set; } = new();

    /// <summary>The trace of the escalation that caused the delivery; retries from the retry worker continue it.</summary>
    public AspireTickets.Domain.Diagnostics.TraceOrigin? Origin { get; set; }
}
