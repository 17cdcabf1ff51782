using System.Diagnostics;
using AspireTickets.Domain.Diagnostics;
using AspireTickets.Domain.Locking;
using AspireTickets.Domain.Storage;
using AspireTickets.Infrastructure.Caching;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AspireTickets.Infrastructure.Notifications;

/// <summary>
/// Delivers escalation notifications to every channel that takes their level, recording each delivery
/// (document collection <c>notification_deliveries</c>, grouped by status). A failed attempt is retried with
/// exponential backoff by <see cref="RetryDueAsync"/>; after the last attempt the delivery is marked failed and
/// stays visible with its error. Nothing is dropped silently.
/// </summary>
public sealed class NotificationDispatcher(
    NotificationChannelStore channels,
    IEnumerable<INotificationSender> senders,
    IDocumentStore documents,
    IDistributedLock locks,
    IOptionsMonitor<NotificationOptions> options,
    ConfiguredChannels configured,
    OperationsMetrics metrics,
    TimeProvider time,
    ILogger<NotificationDispatcher> logger)
{
    public const string CollectionName = "notification_deliveries";
    public const string RetryLockName = "notification-retry";

    private IDocumentCollection<NotificationDelivery> Deliveries => documents.Collection<NotificationDelivery>(CollectionName);

    /// <summary>Sends <paramref name="notification"/> to its channels now (first attempt); returns the deliveries.</summary>
    public async Task<IReadOnlyList<NotificationDelivery>> NotifyAsync(EscalationNotification notification, CancellationToken cancellationToken = default)
    {
        var targets = (await channels.ListAsync(cancellationToken)).Concat(configured.Channels)
            .Where(c => c.Enabled && c.Levels.Contains(notification.Level))
            .ToList();
        var deliveries = new List<NotificationDelivery>();
        foreach (var channel in targets)
        {
            var delivery = new NotificationDelivery
            {
                ChannelId = channel.Id,
                ChannelName = channel.Name,
                ChannelKind = channel.Kind,
                CreatedAt = time.GetUtcNow(),
                Notification = notification,
                Origin = TraceOrigin.Current(),
            };
            await AttemptAsync(channel, delivery, cancellationToken);
            deliveries.Add(delivery);
        }
        return deliveries;
    }

    /// <summary>Retries the pending deliveries whose backoff has passed; one replica at a time.</summary>
    public async Task<int> RetryDueAsync(CancellationToken cancellationToken = default)
    {
        var lease = await locks.TryAcquireAsync(RetryLockName, TimeSpan.FromMinutes(5), cancellationToken);
        if (lease is null)
        {
            return 0;
        }
        try
        {
            var now = time.GetUtcNow();
            var due = (await Deliveries.ListAsync(Group(DeliveryStatus.Pending), limit: 500, newestFirst: false, cancellationToken: cancellationToken))
                .Where(d => d.NextAttemptAt is null || d.NextAttemptAt <= now)
                .ToList();
            var all = (await channels.ListAsync(cancellationToken)).Concat(configured.Channels).ToDictionary(c => c.Id);
            foreach (var delivery in due)
            {
                if (!all.TryGetValue(delivery.ChannelId, out var channel))
                {
                    await RecordAsync(delivery, DeliveryStatus.Failed, "The channel was deleted.", cancellationToken);
                    continue;
                }
                await AttemptAsync(channel, delivery, cancellationToken);
            }
            return due.Count;
        }
        finally
        {
            await locks.ReleaseAsync(lease, CancellationToken.None);
        }
    }

    /// <summary>Deliveries newest first, optionally of one status and one channel.</summary>
    public async Task<IReadOnlyList<NotificationDelivery>> ListAsync(DeliveryStatus? status, int limit, string? channelId = null, CancellationToken cancellationToken = default)
    {
        var group = status is { } s ? Group(s) : null;
        if (channelId is null)
        {
            return await Deliveries.ListAsync(group, limit, cancellationToken: cancellationToken);
        }
        // Deliveries are grouped by status, not channel; a settings page asks for a channel's few recent ones, so a
        // bounded scan of the newest is enough.
        var recent = await Deliveries.ListAsync(group, ChannelScanLimit, cancellationToken: cancellationToken);
        return [.. recent.Where(d => d.ChannelId == channelId).Take(limit)];
    }

    public const int ChannelScanLimit = 5000;

    private async Task AttemptAsync(NotificationChannel channel, NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        // A retry runs under the retry worker, outside the escalation's trace: continue that trace instead.
        var parent = delivery.Origin is { } origin && origin.TryGetContext(out var context) && Activity.Current?.TraceId != context.TraceId ? context : default;
        using var activity = TicketsTelemetry.ActivitySource.StartActivity("notification.deliver", ActivityKind.Producer, parent);
        activity?.SetTag("ticket.id", delivery.Notification.TicketId);
        activity?.SetTag("notification.channel", channel.Name);
        activity?.SetTag("notification.channel.kind", channel.Kind.ToString());
        activity?.SetTag("notification.attempt", delivery.Attempts + 1);

        var sender = senders.FirstOrDefault(s => s.Handles(channel.Kind));
        delivery.Attempts++;
        delivery.LastAttemptAt = time.GetUtcNow();
        try
        {
            if (sender is null)
            {
                throw new NotificationDeliveryException($"No sender handles {channel.Kind} channels in this service.");
            }
            await sender.SendAsync(channel, delivery, cancellationToken);
            delivery.DeliveredAt = time.GetUtcNow();
            delivery.NextAttemptAt = null;
            delivery.LastError = null;
            metrics.NotificationSent(channel.Kind.ToString());
            await RecordAsync(delivery, DeliveryStatus.Delivered, null, cancellationToken);
        }
        catch (NotificationDeliveryException ex)
        {
            var final = delivery.Attempts >= options.CurrentValue.Delivery.MaxAttempts;
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            metrics.NotificationFailed(channel.Kind.ToString(), final);
            logger.LogWarning("Notification {Delivery} to {Channel} failed (attempt {Attempt}{Final}): {Error}",
                delivery.Id, channel.Name, delivery.Attempts, final ? ", giving up" : "", ex.Message);
            delivery.NextAttemptAt = final ? null : time.GetUtcNow() + options.CurrentValue.Delivery.RetryDelay(delivery.Attempts);
            await RecordAsync(delivery, final ? DeliveryStatus.Failed : DeliveryStatus.Pending, ex.Message, cancellationToken);
        }
    }

    private Task RecordAsync(NotificationDelivery delivery, DeliveryStatus status, string? error, CancellationToken cancellationToken)
    {
        delivery.Status = status;
        if (error is not null)
        {
            delivery.LastError = error;
        }
        return Deliveries.UpsertAsync(new StoredDocument<NotificationDelivery>(delivery.Id.ToString(), delivery, delivery.CreatedAt, Group(status)), cancellationToken);
    }

    private static string Group(DeliveryStatus status) => status.ToString().ToLowerInvariant();
}

/// <summary>Channels that come from configuration rather than the API: the SQS escalation queue.</summary>
public sealed class ConfiguredChannels(IReadOnlyList<NotificationChannel> channels)
{
    public IReadOnlyList<NotificationChannel> Channels { get; } = channels;
}
