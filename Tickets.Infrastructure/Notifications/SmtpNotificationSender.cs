using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace AspireTickets.Infrastructure.Notifications;

/// <summary>E-mail channels over the SMTP server of <c>Notifications:Smtp</c> (MailKit).</summary>
public sealed class SmtpNotificationSender(IOptionsMonitor<NotificationOptions> options) : INotificationSender
{
    public bool Handles(NotificationChannelKind kind) => kind == NotificationChannelKind.Email;

    public async Task SendAsync(NotificationChannel channel, NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        var smtp = options.CurrentValue.Smtp;
        if (string.IsNullOrWhiteSpace(smtp.Host))
        {
            throw new NotificationDeliveryException("No SMTP server is configured (Notifications:Smtp:Host).");
        }
        var message = Compose(channel, delivery, smtp.From);
        if (message.To.Count == 0)
        {
            throw new NotificationDeliveryException("The channel has no recipients.");
        }

        using var client = new SmtpClient();
        try
        {
            await client.ConnectAsync(smtp.Host, smtp.Port, Security(smtp), cancellationToken);
            if (!string.IsNullOrEmpty(smtp.UserName))
            {
                await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", cancellationToken);
            }
            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or SmtpCommandException or SmtpProtocolException
            or AuthenticationException or SslHandshakeException or ServiceNotConnectedException)
        {
            throw new NotificationDeliveryException($"SMTP {smtp.Host}:{smtp.Port}: {ex.Message}", ex);
        }
    }

    public static MimeMessage Compose(NotificationChannel channel, NotificationDelivery delivery, string from)
    {
        var n = delivery.Notification;
        var message = new MimeMessage { Subject = NotificationPayloads.Subject(n) };
        message.From.Add(MailboxAddress.Parse(from));
        var recipients = new List<string>(channel.Recipients);
        // Level 1 is for the assignee: told directly when the assignee is an address.
        if (n.Level == 1 && n.Assignee is { } assignee && MailboxAddress.TryParse(assignee, out _) && assignee.Contains('@', StringComparison.Ordinal))
        {
            recipients.Add(assignee);
        }
        foreach (var address in recipients.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            message.To.Add(MailboxAddress.Parse(address));
        }
        message.MessageId = $"{delivery.Id:N}@aspiretickets";
        message.Headers.Add("X-AspireTickets-Ticket", n.TicketId.ToString());
        message.Body = new TextPart("plain") { Text = NotificationPayloads.Text(n) };
        return message;
    }

    private static SecureSocketOptions Security(SmtpOptions smtp) => smtp.Security.ToLowerInvariant() switch
    {
        "none" => SecureSocketOptions.None,
        "starttls" => SecureSocketOptions.StartTls,
        "sslonconnect" => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };
}
