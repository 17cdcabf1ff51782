using System.Text;
using AspireTickets.Domain.Tickets;
using AspireTickets.Ingestion.Pipeline;
using AspireTickets.Ingestion.Security;
using Microsoft.AspNetCore.Http;

namespace AspireTickets.Ingestion.Sources.Jira;

/// <summary>
/// Jira Cloud webhooks: <c>jira:issue_created</c>, <c>jira:issue_updated</c>, <c>comment_created</c>, signed with
/// <c>X-Hub-Signature: sha256=&lt;hex HMAC-SHA256 of the raw body&gt;</c> using the webhook's secret.
/// </summary>
public sealed class JiraSource : ITicketSource
{
    public const string SignatureHeader = "X-Hub-Signature";

    public string Name => TicketSources.Jira;

    public long DefaultMaxBodyBytes => 2 * 1024 * 1024;

    public bool IsEnabled(SourceOptions options) => !string.IsNullOrEmpty(options.Secret);

    public Verification Verify(HttpRequest request, ReadOnlySpan<byte> body, SourceOptions options, DateTimeOffset now)
    {
        var header = request.Headers[SignatureHeader].ToString();
        const string prefix = "sha256=";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return Verification.Failed($"{SignatureHeader} must be 'sha256=<hex HMAC-SHA256 of the body>'.");
        }
        var expected = Signatures.HmacSha256(options.Secret!, body);
        return Signatures.HexEquals(expected, header[prefix.Length..])
            ? Verification.Passed
            : Verification.Failed($"{SignatureHeader} does not match the body.");
    }

    public ParseResult Parse(HttpRequest request, byte[] body, DateTimeOffset now)
    {
        if (!SourceJson.TryRead<JiraWebhook>(body, out var hook, out var error))
        {
            return error!;
        }
        var eventName = hook!.WebhookEvent;
        if (string.IsNullOrWhiteSpace(eventName))
        {
            return new ParseResult.Invalid("webhookEvent", "Required.");
        }
        if (eventName is not ("jira:issue_created" or "jira:issue_updated" or "comment_created" or "comment_updated"))
        {
            return new ParseResult.Ignored($"Jira event '{Truncate(eventName)}' does not create or change tickets.");
        }

        var issue = hook.Issue;
        if (issue is null)
        {
            return new ParseResult.Invalid("issue", "Required for " + eventName + ".");
        }
        if (string.IsNullOrWhiteSpace(issue.Key) || issue.Key.Length > 255)
        {
            return new ParseResult.Invalid("issue.key", "Required: the issue key, e.g. PROJ-12.");
        }
        var fields = issue.Fields;
        if (fields is null)
        {
            return new ParseResult.Invalid("issue.fields", "Required.");
        }
        if (string.IsNullOrWhiteSpace(fields.Summary))
        {
            return new ParseResult.Invalid("issue.fields.summary", "Required: the issue's summary.");
        }
        if (!AtlassianDocument.IsValid(fields.Description))
        {
            return new ParseResult.Invalid("issue.fields.description", "Must be a string or an Atlassian Document Format document.");
        }
        if (fields.Created is not null && SourceJson.Time(fields.Created) is null)
        {
            return new ParseResult.Invalid("issue.fields.created", "Not an ISO 8601 time.");
        }

        var incoming = Map(issue.Key, fields);
        var reason = "jira:" + eventName.Replace("jira:", "", StringComparison.Ordinal);

        switch (eventName)
        {
            case "jira:issue_created":
                return ParseResult.Accept(new IngestItem(incoming) { Reason = reason });

            case "jira:issue_updated":
                return ParseResult.Accept(new IngestItem(incoming, editor => ApplyUpdate(editor, incoming, fields)) { Reason = reason });

            default:
                var comment = hook.Comment;
                if (comment is null)
                {
                    return new ParseResult.Invalid("comment", "Required for " + eventName + ".");
                }
                var commentId = SourceJson.IdText(comment.Id);
                if (string.IsNullOrWhiteSpace(commentId))
                {
                    return new ParseResult.Invalid("comment.id", "Required.");
                }
                if (!AtlassianDocument.IsValid(comment.Body))
                {
                    return new ParseResult.Invalid("comment.body", "Must be a string or an Atlassian Document Format document.");
                }
                var text = AtlassianDocument.ToText(comment.Body);
                var commentKey = $"jira:{issue.Key}:comment:{commentId}";
                return ParseResult.Accept(new IngestItem(incoming, editor => AddCommentOnce(editor, commentKey, comment, text)) { Reason = reason });
        }
    }

    private static IncomingTicket Map(string key, JiraFields fields)
    {
        var description = new StringBuilder(AtlassianDocument.ToText(fields.Description));
        if (fields.IssueType?.Name is { Length: > 0 } type)
        {
            description.Append(description.Length > 0 ? "\n\n" : "").Append("Issue type: ").Append(type);
        }
        var labels = (fields.Labels ?? []).Concat((fields.Components ?? []).Select(c => c?.Name is null ? null : "component:" + c.Name));
        if (fields.IssueType?.Name is { Length: > 0 } issueType)
        {
            labels = labels.Append("type:" + issueType);
        }
        return new IncomingTicket
        {
            Source = TicketSources.Jira,
            SourceKey = "jira:" + key,
            Title = SourceLimits.Title(fields.Summary!),
            Description = description.ToString(),
            Priority = MapPriority(fields.Priority?.Name),
            Reporter = fields.Reporter is { } r && (r.DisplayName is not null || r.EmailAddress is not null) ? new Person(r.DisplayName, r.EmailAddress) : null,
            Organization = fields.Project?.Name,
            Labels = SourceLimits.Labels(labels),
            CreatedAt = SourceJson.Time(fields.Created),
        };
    }

    /// <summary>Both of Jira's default priority schemes onto our four levels.</summary>
    public static TicketPriority MapPriority(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "highest" or "blocker" => TicketPriority.Critical,
        "high" or "critical" => TicketPriority.High,
        "medium" or "major" => TicketPriority.Medium,
        "low" or "lowest" or "minor" or "trivial" => TicketPriority.Low,
        _ => TicketPriority.Medium,
    };

    private static void ApplyUpdate(TicketEditor editor, IncomingTicket incoming, JiraFields fields)
    {
        editor.SetTitle(incoming.Title)
            .SetDescription(incoming.Description)
            .SetPriority(incoming.Priority)
            .SetLabels(incoming.Labels);

        // Jira's status category says whether the work is done; move ours only where the lifecycle allows it.
        var target = fields.Status?.StatusCategory?.Key switch
        {
            "done" => TicketStatus.Resolved,
            "indeterminate" => TicketStatus.InProgress,
            _ => (TicketStatus?)null,
        };
        var current = editor.Ticket.Status;
        if (target is { } status && status != current && TicketLifecycle.CanMove(current, status) &&
            !(status == TicketStatus.InProgress && current is TicketStatus.Waiting or TicketStatus.Closed))
        {
            editor.SetStatus(status);
        }
    }

    private static void AddCommentOnce(TicketEditor editor, string commentKey, JiraComment comment, string text)
    {
        if (editor.Ticket.Comments.Any(c => c.SourceKey == commentKey) || string.IsNullOrWhiteSpace(text))
        {
            return;
        }
        editor.AddComment(new TicketComment
        {
            Author = comment.Author?.EmailAddress ?? comment.Author?.DisplayName ?? "jira",
            Text = text,
            IsPublic = comment.JsdPublic ?? true,
            CreatedAt = SourceJson.Time(comment.Created) ?? default,
            SourceKey = commentKey,
        });
    }

    private static string Truncate(string value) => value.Length <= 80 ? value : value[..80];
}
