using System.Net.Mail;
using AspireTickets.Infrastructure.Notifications;

namespace AspireTickets.Api.Model;

public sealed record NotificationChannelRequest(
    string? Name,
    NotificationChannelKind? Kind,
    string? Url = null,
    string? Secret = null,
    IReadOnlyList<string>? Recipients = null,
    IReadOnlyList<int>? Levels = null,
    bool? Enabled = null);

/// <summary>A channel as the API shows it: the secret is never returned, and a Slack URL (which is its secret) only by host.</summary>
public sealed record NotificationChannelView(
    string Id,
    string Name,
    NotificationChannelKind Kind,
    string? Url,
    bool HasSecret,
    IReadOnlyList<string> Recipients,
    IReadOnlyList<int> Levels,
    bool Enabled,
    bool Configured,
    DateTimeOffset CreatedAt)
{
    public static NotificationChannelView From(NotificationChannel c, bool configured = false) =>
        new(c.Id, c.Name, c.Kind, c.Kind == NotificationChannelKind.Slack ? MaskPath(c.Url) : c.Url, !string.IsNullOrEmpty(c.Secret),
            c.Recipients, c.Levels, c.Enabled, configured, c.CreatedAt);

    private static string? MaskPath(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Authority}/…" : url;
}

public static class NotificationChannelValidation
{
    public const int MinSecretLength = 16;
    public const int MaxRecipients = 50;

    /// <summary>
    /// The channel the request describes (keeping <paramref name="existing"/>'s secret when none is sent), or null
    /// with the reasons per field in <paramref name="errors"/>.
    /// </summary>
    public static NotificationChannel? ToChannel(NotificationChannelRequest request, NotificationChannel? existing, string id, DateTimeOffset now, TicketValidation.Errors errors)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100)
        {
            errors.Add("name", "A name of 1 to 100 characters is required.");
        }
        if (request.Kind is null)
        {
            errors.Add("kind", "The kind is required (Webhook, Slack or Email).");
        }
        else if (request.Kind == NotificationChannelKind.Sqs)
        {
            errors.Add("kind", "The SQS escalation queue is configured by AWS:Resources:escalations:QueueUrl, not through the API.");
        }
        var secret = string.IsNullOrEmpty(request.Secret) ? existing?.Secret : request.Secret;
        // A Slack URL is its secret and is shown only by host, so like a secret it is kept when a change omits it.
        var target = string.IsNullOrEmpty(request.Url) && request.Kind == NotificationChannelKind.Slack && existing?.Kind == NotificationChannelKind.Slack
            ? existing.Url
            : request.Url;
        if (request.Kind is NotificationChannelKind.Webhook or NotificationChannelKind.Slack)
        {
            if (!Uri.TryCreate(target, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                errors.Add("url", "An absolute http(s) URL is required.");
            }
        }
        if (request.Kind == NotificationChannelKind.Webhook && (secret is null || secret.Length < MinSecretLength))
        {
            errors.Add("secret", $"A webhook needs a signing secret of at least {MinSecretLength} characters.");
        }
        var recipients = (request.Recipients ?? []).Select(r => r.Trim()).Where(r => r.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (request.Kind == NotificationChannelKind.Email)
        {
            if (recipients.Count is 0 or > MaxRecipients)
            {
                errors.Add("recipients", $"An e-mail channel needs 1 to {MaxRecipients} recipients.");
            }
            for (var i = 0; i < recipients.Count; i++)
            {
                if (!MailAddress.TryCreate(recipients[i], out _))
                {
                    errors.Add($"recipients[{i}]", $"'{recipients[i]}' is not an e-mail address.");
                }
            }
        }
        var levels = (request.Levels ?? [1, 2, 3]).Distinct().Order().ToList();
        if (levels.Count == 0 || levels.Any(l => l is < 1 or > 3))
        {
            errors.Add("levels", "Levels must be a non-empty subset of 1, 2 and 3.");
        }
        if (errors.Any)
        {
            return null;
        }
        return new NotificationChannel
        {
            Id = id,
            Name = request.Name!.Trim(),
            Kind = request.Kind!.Value,
            Url = request.Kind == NotificationChannelKind.Email ? null : target,
            Secret = request.Kind == NotificationChannelKind.Webhook ? secret : null,
            Recipients = request.Kind == NotificationChannelKind.Email ? recipients : [],
            Levels = levels,
            Enabled = request.Enabled ?? true,
            CreatedAt = existing?.CreatedAt ?? now,
        };
    }
}
