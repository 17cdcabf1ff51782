using System.Globalization;
using System.Text;
using AspireTickets.Domain.Tickets;
using AspireTickets.Ingestion.Pipeline;
using AspireTickets.Ingestion.Security;
using Microsoft.AspNetCore.Http;

namespace AspireTickets.Ingestion.Sources.Alertmanager;

/// <summary>
/// Prometheus Alertmanager (webhook version 4, <c>Authorization: Bearer</c>). One ticket per alert fingerprint:
/// a firing alert opens it, or re-opens it when it fires again after being resolved; a resolved alert resolves
/// it with a comment. Out-of-order and repeated notifications (Alertmanager re-sends every repeat_interval) change nothing.
/// </summary>
public sealed class AlertmanagerSource : ITicketSource
{
    public const int MaxAlerts = 1_000;

    public string Name => TicketSources.Alertmanager;

    public long DefaultMaxBodyBytes => 4 * 1024 * 1024;

    public bool IsEnabled(SourceOptions options) => !string.IsNullOrEmpty(options.Token);

    public Verification Verify(HttpRequest request, ReadOnlySpan<byte> body, SourceOptions options, DateTimeOffset now) =>
        Signatures.BearerEquals(options.Token!, request.Headers.Authorization)
            ? Verification.Passed
            : Verification.Failed("Authorization must be 'Bearer <token>' with the Alertmanager token.");

    public ParseResult Parse(HttpRequest request, byte[] body, DateTimeOffset now)
    {
        if (!SourceJson.TryRead<AlertmanagerWebhook>(body, out var hook, out var error))
        {
            return error!;
        }
        if (hook!.Version != "4")
        {
            return new ParseResult.Invalid("version", "Only webhook payload version 4 is supported.");
        }
        if (hook.Alerts is not { Count: > 0 } alerts)
        {
            return new ParseResult.Invalid("alerts", "At least one alert is required.");
        }
        if (alerts.Count > MaxAlerts)
        {
            return new ParseResult.Invalid("alerts", $"At most {MaxAlerts} alerts per notification.");
        }

        var items = new List<IngestItem>(alerts.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < alerts.Count; i++)
        {
            var alert = alerts[i];
            var path = $"alerts[{i}]";
            if (alert is null)
            {
                return new ParseResult.Invalid(path, "Must be an alert object.");
            }
            if (string.IsNullOrWhiteSpace(alert.Fingerprint) || alert.Fingerprint.Length > 64 || !alert.Fingerprint.All(char.IsAsciiLetterOrDigit))
            {
                return new ParseResult.Invalid(path + ".fingerprint", "Required: the alert's fingerprint (hex).");
            }
            if (alert.Status is not ("firing" or "resolved"))
            {
                return new ParseResult.Invalid(path + ".status", "Must be 'firing' or 'resolved'.");
            }
            if (SourceJson.Time(alert.StartsAt) is not { } startsAt)
            {
                return new ParseResult.Invalid(path + ".startsAt", "Required: an RFC 3339 time.");
            }
            var endsAt = SourceJson.Time(alert.EndsAt);
            if (alert.Status == "resolved" && (endsAt is null || endsAt.Value.Year < 2000))
            {
                return new ParseResult.Invalid(path + ".endsAt", "Required for a resolved alert: an RFC 3339 time.");
            }
            if (!seen.Add(alert.Fingerprint))
            {
                continue; // one notification names an alert once; a repeat would only be applied twice
            }
            items.Add(ToItem(hook, alert, startsAt, endsAt));
        }
        return new ParseResult.Accepted(items);
    }

    private static IngestItem ToItem(AlertmanagerWebhook hook, Alert alert, DateTimeOffset startsAt, DateTimeOffset? endsAt)
    {
        // Each alert carries all its labels and annotations; the common* maps are only their intersection.
        var labels = new Dictionary<string, string>(alert.Labels ?? [], StringComparer.Ordinal);
        var annotations = new Dictionary<string, string>(alert.Annotations ?? [], StringComparer.Ordinal);
        var fingerprint = alert.Fingerprint!.ToLowerInvariant();
        var key = "alertmanager:" + fingerprint;
        var alertName = labels.GetValueOrDefault("alertname");

        var description = new StringBuilder();
        if (annotations.GetValueOrDefault("description") is { Length: > 0 } text)
        {
            description.Append(text).Append("\n\n");
        }
        if (annotations.GetValueOrDefault("runbook_url") is { Length: > 0 } runbook)
        {
            description.Append("Runbook: ").Append(runbook).Append('\n');
        }
        if (alert.GeneratorUrl is { Length: > 0 } generator)
        {
            description.Append("Source: ").Append(generator).Append('\n');
        }
        description.Append("Labels:");
        foreach (var (name, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            description.Append("\n  ").Append(name).Append('=').Append(value);
        }
        foreach (var (name, value) in annotations.Where(a => a.Key is not ("summary" or "description" or "runbook_url")).OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            description.Append("\nAnnotation ").Append(name).Append(": ").Append(value);
        }

        var incoming = new IncomingTicket
        {
            Source = TicketSources.Alertmanager,
            SourceKey = key,
            Title = SourceLimits.Title(annotations.GetValueOrDefault("summary") is { Length: > 0 } summary ? summary : alertName ?? "Alert " + fingerprint),
            Description = description.ToString(),
            Priority = MapSeverity(labels.GetValueOrDefault("severity")),
            Reporter = new Person("Alertmanager" + (hook.Receiver is { Length: > 0 } r ? " (" + r + ")" : ""), null),
            Labels = SourceLimits.Labels(labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}:{l.Value}")),
            CreatedAt = startsAt,
        };

        if (alert.Status == "firing")
        {
            return new IngestItem(incoming, editor => ReopenIfFiringAgain(editor, key, startsAt)) { Reason = "alertmanager:firing" };
        }
        return new IngestItem(incoming, editor => ResolveOnce(editor, key, endsAt!.Value)) { Reason = "alertmanager:resolved" };
    }

    private static void ReopenIfFiringAgain(TicketEditor editor, string key, DateTimeOffset startsAt)
    {
        var ticket = editor.Ticket;
        if (TicketLifecycle.IsOpen(ticket.Status) || startsAt <= ticket.CreatedAt)
        {
            return; // still open, or the original firing re-sent
        }
        var commentKey = $"{key}:firing:{Stamp(startsAt)}";
        var lastResolved = ticket.Comments.Where(c => c.SourceKey?.StartsWith(key + ":resolved:", StringComparison.Ordinal) == true)
            .Select(c => (DateTimeOffset?)c.CreatedAt).Max();
        if (ticket.Comments.Any(c => c.SourceKey == commentKey) || startsAt <= (lastResolved ?? DateTimeOffset.MinValue))
        {
            return; // this firing was seen, or it is older than the resolution (delivered out of order)
        }
        editor.AddComment(new TicketComment { Author = "alertmanager", IsPublic = false, Text = $"Alert firing again since {Stamp(startsAt)}.", CreatedAt = startsAt, SourceKey = commentKey });
        editor.SetStatus(TicketStatus.InProgress);
    }

    private static void ResolveOnce(TicketEditor editor, string key, DateTimeOffset endsAt)
    {
        var ticket = editor.Ticket;
        var commentKey = $"{key}:resolved:{Stamp(endsAt)}";
        var lastFiring = ticket.Comments.Where(c => c.SourceKey?.StartsWith(key + ":firing:", StringComparison.Ordinal) == true)
            .Select(c => (DateTimeOffset?)c.CreatedAt).Max();
        if (!TicketLifecycle.IsOpen(ticket.Status) || ticket.Comments.Any(c => c.SourceKey == commentKey) || endsAt < (lastFiring ?? DateTimeOffset.MinValue))
        {
            return;
        }
        editor.AddComment(new TicketComment { Author = "alertmanager", IsPublic = false, Text = $"Alert resolved at {Stamp(endsAt)}.", CreatedAt = endsAt, SourceKey = commentKey });
        editor.SetStatus(TicketStatus.Resolved);
    }

    public static TicketPriority MapSeverity(string? severity) => severity?.Trim().ToLowerInvariant() switch
    {
        "critical" or "page" or "p1" or "disaster" or "emergency" => TicketPriority.Critical,
        "high" or "error" or "major" or "p2" => TicketPriority.High,
        "warning" or "warn" or "medium" or "p3" => TicketPriority.Medium,
        "info" or "low" or "none" or "minor" or "p4" or "p5" => TicketPriority.Low,
        _ => TicketPriority.Medium,
    };

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
