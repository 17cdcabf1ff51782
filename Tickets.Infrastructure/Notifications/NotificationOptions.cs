namespace AspireTickets.Infrastructure.Notifications;

/// <summary>Section <c>Notifications</c>.</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    public SmtpOptions Smtp { get; set; } = new();
    public DeliveryOptions Delivery { get; set; } = new();
}

/// <summary>The SMTP server of e-mail channels (<c>Notifications:Smtp:Host/Port/From/UserName/Password</c>).</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public string From { get; set; } = "aspiretickets@localhost";
    public string? UserName { get; set; }
    public string? Password { get; set; }

    /// <summary>Auto (TLS on 465, STARTTLS when offered otherwise), None, StartTls or SslOnConnect.</summary>
    public string Security { get; set; } = "Auto";
}

public sealed class DeliveryOptions
{
    /// <summary>Attempts before a delivery is marked failed.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Wait before the second attempt; doubled for each further one.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Whether this service retries on a schedule (tests drive retries themselves).</summary>
    public bool ScheduleRetries { get; set; } = true;

    /// <summary>How often due retries are looked for.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time limit of one HTTP delivery.</summary>
    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryDelay(int attemptsMade) =>
        TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, FirstRetryDelay.Ticks * (1L << Math.Clamp(attemptsMade - 1, 0, 20))));
}
