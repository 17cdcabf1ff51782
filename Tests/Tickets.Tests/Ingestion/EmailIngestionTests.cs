using System.Net;
using AspireTickets.Domain.Tickets;
using AspireTickets.Ingestion.Sources.Email;

namespace AspireTickets.Tests.Ingestion;

public class EmailIngestionTests
{
    private const string RootId = "CAF=1234.abcd@mail.example.fr";

    [Fact]
    public async Task An_HTML_mail_with_an_attachment_becomes_a_ticket_in_plain_text()
    {
        await using var host = await IngestionTestHost.StartAsync();

        var response = await host.Client.SendAsync(IngestionTestHost.Email(Payloads.HtmlEmail()), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var ticket = Assert.Single(host.MemoryStore!.All());
        Assert.Equal("email:" + RootId, ticket.SourceKey);
        Assert.Equal("Impossible de télécharger la facture", ticket.Title);
        Assert.Equal(new Person("Renée Lefèvre", "renee.lefevre@example.fr"), ticket.Reporter);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 12, 0, TimeSpan.Zero), ticket.CreatedAt);
        Assert.Contains("Depuis ce matin, je ne peux pas télécharger ma facture.", ticket.Description);
        Assert.Contains("facture de février (https://portal.example.fr/invoices/2026-02)", ticket.Description);
        Assert.Contains("- Navigateur : Firefox 123.0", ticket.Description);
        Assert.Contains("Merci d'avance,\nRenée", ticket.Description);
        Assert.DoesNotContain("<p>", ticket.Description);
        Assert.DoesNotContain("alert(", ticket.Description);
        Assert.DoesNotContain("color: red", ticket.Description);
        Assert.Contains("Attachments:\n- capture.png (image/png", ticket.Description);
        Assert.Equal("fr", ticket.Insights!.Language);
    }

    [Fact]
    public async Task Replies_become_comments_on_the_thread_once_without_the_quoted_history()
    {
        await using var host = await IngestionTestHost.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        await host.Client.SendAsync(IngestionTestHost.Email(Payloads.HtmlEmail()), ct);

        var reply = Payloads.EmailReply("reply-1@mail.example.fr", inReplyTo: "support-answer-9@acme.example", references: $"<{RootId}> <support-answer-9@acme.example>");
        var first = await host.Client.SendAsync(IngestionTestHost.Email(reply), ct);
        var redelivered = await host.Client.SendAsync(IngestionTestHost.Email(reply), ct);
        // A reply to the reply still finds the thread through References.
        var second = Payloads.EmailReply("reply-2@mail.example.fr", inReplyTo: "reply-1@mail.example.fr", references: $"<{RootId}> <support-answer-9@acme.example> <reply-1@mail.example.fr>");
        await host.Client.SendAsync(IngestionTestHost.Email(second), ct);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, redelivered.StatusCode);
        var ticket = Assert.Single(host.MemoryStore!.All());
        Assert.Equal(2, ticket.Comments.Count);
        var comment = ticket.Comments[0];
        Assert.Equal("Cela fonctionne maintenant, merci beaucoup !", comment.Text);
        Assert.Equal("renee.lefevre@example.fr", comment.Author);
        Assert.Equal("email:reply-1@mail.example.fr", comment.SourceKey);
        // The reporter's own reply is not a first response.
        Assert.Null(ticket.FirstResponseAt);
    }

    [Fact]
    public async Task A_reply_to_an_unknown_thread_becomes_its_own_ticket()
    {
        await using var host = await IngestionTestHost.StartAsync();

        await host.Client.SendAsync(IngestionTestHost.Email(Payloads.EmailReply("orphan@mail.example.fr", "unknown@x.example", "<unknown@x.example>")), TestContext.Current.CancellationToken);

        Assert.Equal("email:orphan@mail.example.fr", Assert.Single(host.MemoryStore!.All()).SourceKey);
    }

    [Fact]
    public async Task A_message_without_sender_is_malformed_and_a_wrong_token_unauthorized()
    {
        await using var host = await IngestionTestHost.StartAsync();
        var ct = TestContext.Current.CancellationToken;

        var noFrom = await host.Client.SendAsync(IngestionTestHost.Email("Subject: hi\r\nMessage-ID: <x@y>\r\n\r\nbody"), ct);
        var badToken = await host.Client.SendAsync(IngestionTestHost.Email(Payloads.HtmlEmail(), token: "nope"), ct);

        Assert.Equal(HttpStatusCode.BadRequest, noFrom.StatusCode);
        Assert.Contains("\"From\"", await noFrom.Content.ReadAsStringAsync(ct));
        Assert.Equal(HttpStatusCode.Unauthorized, badToken.StatusCode);
        Assert.Empty(host.MemoryStore!.All());
    }

    [Theory]
    [InlineData("Thanks, works now.\n\nOn Mon, 2 Mar 2026 at 10:45, Support <s@x.example> wrote:\n> old", "Thanks, works now.")]
    [InlineData("Danke!\n\nAm 02.03.2026 um 10:45 schrieb Support <s@x.example>:\n> alt", "Danke!")]
    [InlineData("Top\n> quoted\nmore", "Top\nmore")]
    public void Quoted_history_is_cut_from_replies(string text, string expected) =>
        Assert.Equal(expected, EmailSource.StripQuotedHistory(text));
}
