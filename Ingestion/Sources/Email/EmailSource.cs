using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using AspireTickets.Domain.Tickets;
using AspireTickets.Ingestion.Pipeline;
using AspireTickets.Ingestion.Security;
using Microsoft.AspNetCore.Http;
using MimeKit;

namespace AspireTickets.Ingestion.Sources.Email;

/// <summary>
/// Raw RFC 822 messages posted by the mail relay (<c>Authorization: Bearer</c>). A new message is a ticket keyed by
/// its Message-ID; a reply (In-Reply-To / References naming a ticket's message) becomes a comment on that ticket,
/// with the quoted history cut off. HTML-only mail is turned into text; attachments are listed, not stored.
/// </summary>
public sealed partial class EmailSource : ITicketSource
{
    public const int MaxReferences = 50;

    public string Name => TicketSources.Email;

    public long DefaultMaxBodyBytes => 25 * 1024 * 1024;

    public bool IsEnabled(SourceOptions options) => !string.IsNullOrEmpty(options.Token);

    public Verification Verify(HttpRequest request, ReadOnlySpan<byte> body, SourceOptions options, DateTimeOffset now) =>
        Signatures.BearerEquals(options.Token!, request.Headers.Authorization)
            ? Verification.Passed
            : Verification.Failed("Authorization must be 'Bearer <token>' with the e-mail relay token.");

    public ParseResult Parse(HttpRequest request, byte[] body, DateTimeOffset now)
    {
        MimeMessage message;
        try
        {
            using var stream = new MemoryStream(body, writable: false);
            message = MimeMessage.Load(new ParserOptions { MaxMimeDepth = 16 }, stream);
        }
        catch (Exception e) when (e is FormatException or ParseException or ArgumentException or InvalidOperationException)
        {
            return new ParseResult.Invalid("body", "Not an RFC 822 message: " + e.GetType().Name);
        }

        var from = message.From.Mailboxes.FirstOrDefault();
        if (from is null || string.IsNullOrWhiteSpace(from.Address) || from.Address.Length > 320)
        {
            return new ParseResult.Invalid("From", "Required: the sender's address.");
        }
        var messageId = message.MessageId;
        if (messageId is { Length: > 500 })
        {
            return new ParseResult.Invalid("Message-ID", "Longer than 500 characters.");
        }
        // Without a Message-ID the content is the identity, so a re-delivery still finds the same ticket.
        messageId = string.IsNullOrWhiteSpace(messageId) ? "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body)) : messageId;

        string text;
        try
        {
            text = message.TextBody ?? (message.HtmlBody is { } html ? HtmlText.ToText(html) : "");
        }
        catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException)
        {
            return new ParseResult.Invalid("body", "The message body cannot be decoded: " + e.GetType().Name);
        }
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();

        var attachments = message.Attachments.Select(Describe).Take(100).ToList();
        var description = new StringBuilder(text);
        if (attachments.Count > 0)
        {
            description.Append("\n\nAttachments:\n");
            foreach (var attachment in attachments)
            {
                description.Append("- ").Append(attachment).Append('\n');
            }
        }

        var subject = string.IsNullOrWhiteSpace(message.Subject) ? "(no subject)" : message.Subject;
        var sentAt = message.Date == DateTimeOffset.MinValue ? (DateTimeOffset?)null : message.Date;
        var reporter = new Person(string.IsNullOrWhiteSpace(from.Name) ? null : from.Name, from.Address);
        var incoming = new IncomingTicket
        {
            Source = TicketSources.Email,
            SourceKey = "email:" + messageId,
            Title = SourceLimits.Title(subject),
            Description = description.ToString().TrimEnd(),
            Priority = Priority(message),
            Reporter = reporter,
            CreatedAt = sentAt,
        };

        var threadKeys = new List<string>();
        if (!string.IsNullOrWhiteSpace(message.InReplyTo))
        {
            threadKeys.Add("email:" + message.InReplyTo);
        }
        // References run oldest first; the root message is the one most likely to be the ticket.
        threadKeys.AddRange(message.References.Take(MaxReferences).Select(r => "email:" + r));
        threadKeys = threadKeys.Where(k => k != incoming.SourceKey).Distinct(StringComparer.Ordinal).ToList();

        var commentKey = incoming.SourceKey;
        var reply = StripQuotedHistory(text);
        var replyText = attachments.Count > 0 ? reply + "\n\nAttachments:\n" + string.Join('\n', attachments.Select(a => "- " + a)) : reply;
        return ParseResult.Accept(new IngestItem(incoming)
        {
            Reason = "email:message",
            ThreadKeys = threadKeys,
            ApplyToThread = editor =>
            {
                if (editor.Ticket.Comments.Any(c => c.SourceKey == commentKey))
                {
                    return;
                }
                editor.AddComment(new TicketComment
                {
                    Author = from.Address,
                    Text = replyText,
                    IsPublic = true,
                    CreatedAt = sentAt ?? default,
                    SourceKey = commentKey,
                });
                // The customer answered the question we were waiting on.
                if (editor.Ticket.Status == TicketStatus.Waiting &&
                    string.Equals(editor.Ticket.Reporter?.Email, from.Address, StringComparison.OrdinalIgnoreCase))
                {
                    editor.SetStatus(TicketStatus.InProgress);
                }
            },
        });
    }

    [GeneratedRegex(@"^(?:On\s.{1,300}\swrote:|Am\s.{1,300}\sschrieb\s.{0,300}:|Le\s.{1,300}\sa\sécrit\s?:|El\s.{1,300}\sescribió:|Em\s.{1,300}\sescreveu:|Il\s.{1,300}\sha\sscritto:|Op\s.{1,300}\sschreef\s.{0,300}:|-{2,}\s*Original Message\s*-{2,}|-{2,}\s*Ursprüngliche Nachricht\s*-{2,})\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex QuoteHeaderPattern();

    /// <summary>A reply's new text: everything before the "On … wrote:" line, without "&gt;" quoted lines.</summary>
    public static string StripQuotedHistory(string text)
    {
        var cut = text;
        try
        {
            var header = QuoteHeaderPattern().Match(text);
            if (header.Success && header.Index > 0)
            {
                cut = text[..header.Index];
            }
        }
        catch (RegexMatchTimeoutException)
        {
            // Pathological input: keep the whole text rather than guess.
        }
        var lines = cut.Split('\n').Where(l => !l.TrimStart().StartsWith('>'));
        var stripped = string.Join('\n', lines).Trim();
        return stripped.Length > 0 ? stripped : text;
    }

    private static string Describe(MimeEntity entity) => entity switch
    {
        MimePart part => $"{part.FileName ?? "(unnamed)"} ({part.ContentType.MimeType}{Size(part)})",
        MessagePart attached => $"{attached.Message?.Subject ?? "(attached message)"} (message/rfc822)",
        _ => $"({entity.ContentType.MimeType})",
    };

    private static string Size(MimePart part)
    {
        // The encoded size; base64 is a third larger than the file, which is close enough for a listing.
        var stream = part.Content?.Stream;
        if (stream is null || !stream.CanSeek)
        {
            return "";
        }
        var bytes = part.ContentTransferEncoding == ContentEncoding.Base64 ? stream.Length * 3 / 4 : stream.Length;
        return bytes switch
        {
            < 1024 => $", {bytes} B",
            < 1024 * 1024 => $", {bytes / 1024} KB",
            _ => $", {bytes / (1024 * 1024)} MB",
        };
    }

    private static TicketPriority Priority(MimeMessage message)
    {
        if (message.Priority == MessagePriority.Urgent || message.Importance == MessageImportance.High ||
            message.XPriority is XMessagePriority.Highest or XMessagePriority.High)
        {
            return TicketPriority.High;
        }
        if (message.Priority == MessagePriority.NonUrgent || message.Importance == MessageImportance.Low ||
            message.XPriority is XMessagePriority.Low or XMessagePriority.Lowest)
        {
            return TicketPriority.Low;
        }
        return TicketPriority.Medium;
    }
}
