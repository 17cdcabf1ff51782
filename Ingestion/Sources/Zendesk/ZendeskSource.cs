using System.Text;
using System.Text.Json;
using AspireTickets.Domain.Tickets;
using AspireTickets.Ingestion.Pipeline;
using AspireTickets.Ingestion.Security;
using Microsoft.AspNetCore.Http;

namespace AspireTickets.Ingestion.Sources.Zendesk;

/// <summary>
/// Zendesk ticket event webhooks, signed with <c>X-Zendesk-Webhook-Signature</c> = base64 HMAC-SHA256 of
/// (<c>X-Zendesk-Webhook-Signature-Timestamp</c> + body); deliveries older than five minutes are refused as replays.
/// </summary>
public sealed class ZendeskSource : ITicketSource
{
    public const string SignatureHeader = "X-Zendesk-Webhook-Signature";
    public const string TimestampHeader = "X-Zendesk-Webhook-Signature-Timestamp";
    public const string EventPrefix = "zen:event-type:";

    public string Name => TicketSources.Zendesk;

    public long DefaultMaxBodyBytes => 1024 * 1024;

    public bool IsEnabled(SourceOptions options) => !string.IsNullOrEmpty(options.Secret);

    public Verification Verify(HttpRequest request, ReadOnlySpan<byte> body, SourceOptions options, DateTimeOffset now)
    {
        var timestamp = request.Headers[TimestampHeader].ToString();
        var signature = request.Headers[SignatureHeader].ToString();
        if (timestamp.Length is 0 or > 64 || signature.Length == 0)
        {
            return Verification.Failed($"{SignatureHeader} and {TimestampHeader} are required.");
        }
        var expected = Signatures.HmacSha256(options.Secret!, Encoding.UTF8.GetBytes(timestamp), body);
        if (!Signatures.Base64Equals(expected, signature))
        {
            return Verification.Failed($"{SignatureHeader} does not match timestamp and body.");
        }
        // Checked after the signature so the timestamp is known to be the sender's, not an attacker's.
        if (SourceJson.Time(timestamp) is not { } signedAt || !SourceLimits.IsFresh(signedAt, now, options))
        {
            return Verification.Failed($"{TimestampHeader} is outside the replay window.");
        }
        return Verification.Passed;
    }

    public ParseResult Parse(HttpRequest request, byte[] body, DateTimeOffset now)
    {
        if (!SourceJson.TryRead<ZendeskWebhook>(body, out var hook, out var error))
        {
            return error!;
        }
        if (string.IsNullOrWhiteSpace(hook!.Type))
        {
            return new ParseResult.Invalid("type", "Required: the event type, e.g. zen:event-type:ticket.created.");
        }
        var eventType = hook.Type.StartsWith(EventPrefix, StringComparison.Ordinal) ? hook.Type[EventPrefix.Length..] : hook.Type;
        if (eventType is not ("ticket.created" or "ticket.comment_added" or "ticket.status_changed" or "ticket.priority_changed" or "ticket.subject_changed" or "ticket.description_changed" or "ticket.tags_changed"))
        {
            return new ParseResult.Ignored($"Zendesk event '{(eventType.Length <= 80 ? eventType : eventType[..80])}' does not create or change tickets.");
        }

        var detail = hook.Detail;
        if (detail is null)
        {
            return new ParseResult.Invalid("detail", "Required: the ticket.");
        }
        var id = SourceJson.IdText(detail.Id);
        if (string.IsNullOrWhiteSpace(id) || id.Length > 40 || !id.All(char.IsAsciiDigit))
        {
            return new ParseResult.Invalid("detail.id", "Required: the numeric ticket id.");
        }
        if (string.IsNullOrWhiteSpace(detail.Subject) && string.IsNullOrWhiteSpace(detail.Description))
        {
            return new ParseResult.Invalid("detail.subject", "A ticket needs a subject or a description.");
        }
        if (detail.Priority is not null && MapPriority(detail.Priority) is null)
        {
            return new ParseResult.Invalid("detail.priority", $"'{Cut(detail.Priority)}' is not a Zendesk priority (low, normal, high, urgent).");
        }
        if (detail.CreatedAt is not null && SourceJson.Time(detail.CreatedAt) is null)
        {
            return new ParseResult.Invalid("detail.created_at", "Not an ISO 8601 time.");
        }

        var incoming = new IncomingTicket
        {
            Source = TicketSources.Zendesk,
            SourceKey = "zendesk:" + id,
            Title = SourceLimits.Title(string.IsNullOrWhiteSpace(detail.Subject) ? FirstLine(detail.Description!) : detail.Subject),
            Description = detail.Description ?? "",
            Priority = MapPriority(detail.Priority) ?? TicketPriority.Medium,
            Labels = SourceLimits.Labels((detail.Tags ?? []).Append(detail.Type is { Length: > 0 } t ? "type:" + t.ToLowerInvariant() : null)),
            CreatedAt = SourceJson.Time(detail.CreatedAt),
        };
        var reason = "zendesk:" + eventType;

        switch (eventType)
        {
            case "ticket.created":
                return ParseResult.Accept(new IngestItem(incoming) { Reason = reason });

            case "ticket.comment_added":
                var comment = hook.Event?.Comment;
                var commentId = SourceJson.IdText(comment?.Id);
                if (comment is null || string.IsNullOrWhiteSpace(commentId))
                {
                    return new ParseResult.Invalid("event.comment.id", "Required for ticket.comment_added.");
                }
                if (string.IsNullOrWhiteSpace(comment.Body))
                {
                    return new ParseResult.Invalid("event.comment.body", "Required for ticket.comment_added.");
                }
                var commentKey = $"zendesk:{id}:comment:{commentId}";
                return ParseResult.Accept(new IngestItem(incoming, editor =>
                {
                    if (editor.Ticket.Comments.Any(c => c.SourceKey == commentKey))
                    {
                        return;
                    }
                    editor.AddComment(new TicketComment
                    {
                        // Zendesk's first comment is the description itself; staff comments are answers.
                        Author = comment.Author?.Name ?? "zendesk:" + SourceJson.IdText(comment.Author?.Id),
                        Text = comment.Body,
                        IsPublic = comment.IsPublic ?? true,
                        CreatedAt = SourceJson.Time(hook.Time) ?? default,
                        SourceKey = commentKey,
                    });
                }) { Reason = reason });

            case "ticket.status_changed":
                var status = MapStatus(Text(hook.Event?.Current) ?? detail.Status);
                if (status is null)
                {
                    return new ParseResult.Invalid("event.current", "Not a Zendesk status (new, open, pending, hold, solved, closed).");
                }
                return ParseResult.Accept(new IngestItem(incoming, editor =>
                {
                    if (TicketLifecycle.CanMove(editor.Ticket.Status, status.Value))
                    {
                        editor.SetStatus(status.Value);
                    }
                }) { Reason = reason });

            default:
                // Field changes: the detail is the ticket after the change, so apply what it says now.
                return ParseResult.Accept(new IngestItem(incoming, editor => editor
                    .SetTitle(incoming.Title)
                    .SetDescription(incoming.Description)
                    .SetPriority(incoming.Priority)
                    .SetLabels(incoming.Labels)) { Reason = reason });
        }
    }

    public static TicketPriority? MapPriority(string? priority) => priority?.Trim().ToLowerInvariant() switch
    {
        null or "" => TicketPriority.Medium,
        "low" => TicketPriority.Low,
        "normal" => TicketPriority.Medium,
        "high" => TicketPriority.High,
        "urgent" => TicketPriority.Critical,
        _ => null,
    };

    private static TicketStatus? MapStatus(string? status) => status?.Trim().ToLowerInvariant() switch
    {
        "new" => TicketStatus.New,
        "open" => TicketStatus.InProgress,
        "pending" or "hold" => TicketStatus.Waiting,
        "solved" => TicketStatus.Resolved,
        "closed" => TicketStatus.Closed,
        _ => null,
    };

    private static string? Text(JsonElement? element) => element is { ValueKind: JsonValueKind.String } e ? e.GetString() : null;

    private static string FirstLine(string text) => text.Split('\n', 2)[0];

    private static string Cut(string value) => value.Length <= 40 ? value : value[..40];
}
