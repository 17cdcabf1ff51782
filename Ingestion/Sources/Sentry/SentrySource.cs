using System.Globalization;
using System.Text;
using AspireTickets.Domain.Tickets;
using AspireTickets.Ingestion.Enrichment;
using AspireTickets.Ingestion.Pipeline;
using AspireTickets.Ingestion.Security;
using Microsoft.AspNetCore.Http;

namespace AspireTickets.Ingestion.Sources.Sentry;

/// <summary>
/// Sentry webhooks: <c>Sentry-Hook-Signature</c> = hex HMAC-SHA256 of the body with the integration's client secret,
/// <c>Sentry-Hook-Timestamp</c> (Unix seconds) within five minutes. One ticket per Sentry issue; the exception's
/// stack frames become entities so similar crashes can be found by frame.
/// </summary>
public sealed class SentrySource : ITicketSource
{
    public const string SignatureHeader = "Sentry-Hook-Signature";
    public const string TimestampHeader = "Sentry-Hook-Timestamp";
    public const string ResourceHeader = "Sentry-Hook-Resource";
    public const int MaxFrames = 40;

    public string Name => TicketSources.Sentry;

    public long DefaultMaxBodyBytes => 4 * 1024 * 1024;

    public bool IsEnabled(SourceOptions options) => !string.IsNullOrEmpty(options.Secret);

    public Verification Verify(HttpRequest request, ReadOnlySpan<byte> body, SourceOptions options, DateTimeOffset now)
    {
        var expected = Signatures.HmacSha256(options.Secret!, body);
        if (!Signatures.HexEquals(expected, request.Headers[SignatureHeader].ToString()))
        {
            return Verification.Failed($"{SignatureHeader} does not match the body.");
        }
        var timestamp = request.Headers[TimestampHeader].ToString();
        if (!double.TryParse(timestamp, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ||
            double.IsNaN(seconds) || seconds is < 0 or > 253402300799 ||
            !SourceLimits.IsFresh(DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)), now, options))
        {
            return Verification.Failed($"{TimestampHeader} is missing or outside the replay window.");
        }
        return Verification.Passed;
    }

    public ParseResult Parse(HttpRequest request, byte[] body, DateTimeOffset now)
    {
        var resource = request.Headers[ResourceHeader].ToString();
        if (resource.Length == 0)
        {
            return new ParseResult.Invalid(ResourceHeader, "Required: event_alert or issue.");
        }
        if (resource is not ("event_alert" or "issue"))
        {
            return new ParseResult.Ignored($"Sentry resource '{(resource.Length <= 40 ? resource : resource[..40])}' does not create or change tickets.");
        }
        if (!SourceJson.TryRead<SentryWebhook>(body, out var hook, out var error))
        {
            return error!;
        }
        if (string.IsNullOrWhiteSpace(hook!.Action))
        {
            return new ParseResult.Invalid("action", "Required.");
        }
        return resource == "event_alert" ? ParseEventAlert(hook) : ParseIssue(hook);
    }

    private static ParseResult ParseEventAlert(SentryWebhook hook)
    {
        if (hook.Action != "triggered")
        {
            return new ParseResult.Ignored($"Sentry event_alert action '{Cut(hook.Action!)}' is not handled.");
        }
        var ev = hook.Data?.Event;
        if (ev is null)
        {
            return new ParseResult.Invalid("data.event", "Required for event_alert.");
        }
        var issueId = SourceJson.IdText(ev.IssueId);
        if (!IsId(issueId))
        {
            return new ParseResult.Invalid("data.event.issue_id", "Required: the Sentry issue id.");
        }
        var exception = ev.Exception?.Values?.LastOrDefault(v => v is not null);
        var title = ev.Title ?? (exception is null ? ev.Message : $"{exception.Type}: {exception.Value}");
        if (string.IsNullOrWhiteSpace(title))
        {
            return new ParseResult.Invalid("data.event.title", "Required.");
        }
        if (ev.DateTime is not null && SourceJson.Time(ev.DateTime) is null)
        {
            return new ParseResult.Invalid("data.event.datetime", "Not an ISO 8601 time.");
        }

        var frames = (exception?.Stacktrace?.Frames ?? []).Where(f => f is not null).Select(f => f!).ToList();
        var shownFrames = frames.Count > MaxFrames ? frames[^MaxFrames..] : frames;
        var description = new StringBuilder();
        if (!string.IsNullOrWhiteSpace(ev.Message) && ev.Message != title)
        {
            description.Append(ev.Message).Append("\n\n");
        }
        if (exception is not null)
        {
            description.Append(exception.Type).Append(": ").Append(exception.Value).Append('\n');
        }
        if (shownFrames.Count > 0)
        {
            description.Append("Stack trace (most recent call last):\n");
            foreach (var frame in shownFrames)
            {
                description.Append("  ").Append(FrameText(frame)).Append('\n');
            }
        }
        Append(description, "Culprit", ev.Culprit);
        Append(description, "Environment", ev.Environment);
        Append(description, "Release", ev.Release);
        Append(description, "Sentry", ev.WebUrl ?? ev.IssueUrl);
        Append(description, "Alert rule", hook.Data?.TriggeredRule);

        var entities = shownFrames.Select(f => new TextEntity(EntityExtractor.Kinds.StackFrame, FrameText(f))).ToList();
        if (exception?.Type is { Length: > 0 } type)
        {
            entities.Add(new TextEntity(EntityExtractor.Kinds.Exception, type));
        }
        var occurredAt = SourceJson.Time(ev.DateTime);
        var incoming = new IncomingTicket
        {
            Source = TicketSources.Sentry,
            SourceKey = "sentry:" + issueId,
            Title = SourceLimits.Title(title),
            Description = description.ToString().TrimEnd(),
            Priority = MapLevel(ev.Level),
            Reporter = new Person("Sentry", null),
            Labels = SourceLimits.Labels([Label("level", ev.Level), Label("platform", ev.Platform), Label("environment", ev.Environment)]),
            CreatedAt = occurredAt,
            Entities = entities,
        };
        var key = incoming.SourceKey;
        var eventId = ev.EventId;
        return ParseResult.Accept(new IngestItem(incoming, editor =>
        {
            // A rule firing for a resolved issue is a regression: the ticket is open again.
            var ticket = editor.Ticket;
            var commentKey = $"{key}:event:{eventId}";
            if (TicketLifecycle.IsOpen(ticket.Status) || eventId is null || ticket.Comments.Any(c => c.SourceKey == commentKey) ||
                (occurredAt is { } at && at <= (ticket.ResolvedAt ?? ticket.ClosedAt ?? DateTimeOffset.MinValue)))
            {
                return;
            }
            editor.AddComment(new TicketComment { Author = "sentry", IsPublic = false, Text = $"Regression: event {eventId} matched alert rule '{hook.Data?.TriggeredRule}'.", CreatedAt = occurredAt ?? default, SourceKey = commentKey });
            editor.SetStatus(TicketStatus.InProgress);
        }) { Reason = "sentry:event_alert" });
    }

    private static ParseResult ParseIssue(SentryWebhook hook)
    {
        if (hook.Action is not ("created" or "resolved" or "unresolved"))
        {
            return new ParseResult.Ignored($"Sentry issue action '{Cut(hook.Action!)}' does not create or change tickets.");
        }
        var issue = hook.Data?.Issue;
        if (issue is null)
        {
            return new ParseResult.Invalid("data.issue", "Required for the issue resource.");
        }
        var id = SourceJson.IdText(issue.Id);
        if (!IsId(id))
        {
            return new ParseResult.Invalid("data.issue.id", "Required: the Sentry issue id.");
        }
        if (string.IsNullOrWhiteSpace(issue.Title))
        {
            return new ParseResult.Invalid("data.issue.title", "Required.");
        }
        var description = new StringBuilder();
        if (issue.Metadata is { } metadata)
        {
            Append(description, metadata.Type ?? "Error", metadata.Value);
            Append(description, "In", metadata.Function is null ? metadata.Filename : $"{metadata.Function} ({metadata.Filename})");
        }
        Append(description, "Culprit", issue.Culprit);
        Append(description, "Project", issue.Project?.Slug);
        Append(description, "Sentry", issue.WebUrl ?? issue.Permalink);
        var incoming = new IncomingTicket
        {
            Source = TicketSources.Sentry,
            SourceKey = "sentry:" + id,
            Title = SourceLimits.Title(issue.ShortId is { Length: > 0 } s ? $"{issue.Title} ({s})" : issue.Title),
            Description = description.ToString().TrimEnd(),
            Priority = MapLevel(issue.Level),
            Reporter = new Person("Sentry", null),
            Organization = issue.Project?.Name,
            Labels = SourceLimits.Labels([Label("level", issue.Level), Label("platform", issue.Platform), Label("project", issue.Project?.Slug)]),
            CreatedAt = SourceJson.Time(issue.FirstSeen),
            Entities = issue.Metadata?.Type is { Length: > 0 } t ? [new TextEntity(EntityExtractor.Kinds.Exception, t)] : [],
        };
        Action<TicketEditor>? apply = hook.Action switch
        {
            "resolved" => editor =>
            {
                if (TicketLifecycle.IsOpen(editor.Ticket.Status))
                {
                    editor.AddComment(new TicketComment { Author = hook.Actor?.Name ?? "sentry", IsPublic = false, Text = "Resolved in Sentry." });
                    editor.SetStatus(TicketStatus.Resolved);
                }
            },
            "unresolved" => editor =>
            {
                if (!TicketLifecycle.IsOpen(editor.Ticket.Status) && editor.Ticket.Status != TicketStatus.Duplicate)
                {
                    editor.SetStatus(TicketStatus.InProgress);
                }
            },
            _ => null,
        };
        return ParseResult.Accept(new IngestItem(incoming, apply) { Reason = "sentry:issue." + hook.Action });
    }

    public static TicketPriority MapLevel(string? level) => level?.ToLowerInvariant() switch
    {
        "fatal" => TicketPriority.Critical,
        "error" => TicketPriority.High,
        "warning" => TicketPriority.Medium,
        "info" or "debug" or "sample" => TicketPriority.Low,
        _ => TicketPriority.Medium,
    };

    private static string FrameText(SentryFrame frame)
    {
        var function = frame.Module is { Length: > 0 } module && frame.Function is { Length: > 0 } fn && !fn.StartsWith(module, StringComparison.Ordinal)
            ? $"{module}.{fn}"
            : frame.Function ?? frame.Module ?? "?";
        var file = frame.Filename ?? frame.AbsPath ?? "?";
        var text = $"{function} ({file}:{frame.LineNo?.ToString(CultureInfo.InvariantCulture) ?? "?"})";
        return text.Length <= 300 ? text : text[..300];
    }

    private static bool IsId(string? id) => !string.IsNullOrWhiteSpace(id) && id.Length <= 40 && id.All(char.IsAsciiLetterOrDigit);

    private static string? Label(string name, string? value) => string.IsNullOrWhiteSpace(value) ? null : $"{name}:{value}";

    private static void Append(StringBuilder text, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            text.Append(name).Append(": ").Append(value).Append('\n');
        }
    }

    private static string Cut(string value) => value.Length <= 40 ? value : value[..40];
}
