using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AspireTickets.Infrastructure.Notifications;

/// <summary>The bodies the channels send, built in one place so every channel says the same thing.</summary>
public static class NotificationPayloads
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The webhook and queue body: the notification as JSON, with the delivery id receivers can de-duplicate on.</summary>
    public static byte[] JsonBody(NotificationDelivery delivery) =>
        JsonSerializer.SerializeToUtf8Bytes(new { deliveryId = delivery.Id, notification = delivery.Notification }, Json);

    /// <summary><c>sha256=</c> and the lower-case hex HMAC-SHA256 of the body with the channel's secret.</summary>
    public static string Signature(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static string Subject(EscalationNotification n) =>
        $"[AspireTickets] Escalation level {n.Level}: {n.Title}";

    public static string Text(EscalationNotification n)
    {
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Ticket {n.TicketId} \"{n.Title}\" is escalated to level {n.Level} ({string.Join(", ", n.Audience)}).")
            .AppendLine(CultureInfo.InvariantCulture, $"Reason: {n.Reason}")
            .AppendLine(CultureInfo.InvariantCulture, $"Priority: {(n.PreviousPriority == n.Priority ? n.Priority.ToString() : $"{n.PreviousPriority} → {n.Priority}")}");
        if (n.DueAt is { } due)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Due: {due.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"Assignee: {n.Assignee ?? "(nobody)"}");
        return text.ToString();
    }

    /// <summary>A Slack incoming-webhook message: plain <c>text</c> for notifications and a block for the channel.</summary>
    public static byte[] SlackBody(EscalationNotification n) =>
        JsonSerializer.SerializeToUtf8Bytes(new
        {
            text = $":rotating_light: Escalation level {n.Level}: {n.Title}",
            blocks = new object[]
            {
                new { type = "header", text = new { type = "plain_text", text = $"Escalation level {n.Level}: {Truncate(n.Title, 120)}" } },
                new { type = "section", text = new { type = "mrkdwn", text = Text(n) } },
            },
        }, Json);

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..(max - 1)] + "…";
}
