namespace AspireTickets.Infrastructure.Notifications;

/// <summary>Sends one notification to one channel of the kinds it handles; throws when the channel did not take it.</summary>
public interface INotificationSender
{
    bool Handles(NotificationChannelKind kind);

    Task SendAsync(NotificationChannel channel, NotificationDelivery delivery, CancellationToken cancellationToken);
}

/// <summary>A delivery the receiver refused; the message says why, for the delivery record.</summary>
public sealed class NotificationDeliveryException(string message, Exception? inner = null) : Exception(message, inner);
