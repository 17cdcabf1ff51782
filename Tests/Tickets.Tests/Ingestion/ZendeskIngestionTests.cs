using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Tests.Ingestion;

public class ZendeskIngestionTests
{
    [Fact]
    public async Task A_signed_ticket_created_event_becomes_a_masked_enriched_ticket()
    {
        await using var host = await IngestionTestHost.StartAsync();

        var response = await host.Client.SendAsync(host.Zendesk(Payloads.ZendeskTicketCreated()), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var ticket = Assert.Single(host.MemoryStore!.All());
        Assert.Equal("zendesk:35436", ticket.SourceKey);
        Assert.Equal("Rechnung doppelt abgebucht – bitte dringend prüfen", ticket.Title);
        Assert.Equal(TicketPriority.Critical, ticket.Priority);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 40, 11, TimeSpan.Zero), ticket.CreatedAt);
        Assert.Contains("billing", ticket.Labels);

        // The original stays in the ticket; the masked copy hides card, IBAN and phone.
        Assert.Contains("4111 1111 1111 1111", ticket.Description);
        var insights = ticket.Insights!;
        Assert.Equal("de", insights.Language);
        Assert.Equal("negative", insights.SentimentLabel);
        Assert.True(insights.Sentiment < 0);
        Assert.Contains("[CARD]", insights.MaskedText);
        Assert.Contains("[IBAN]", insights.MaskedText);
        Assert.Contains("[PHONE]", insights.MaskedText);
        Assert.DoesNotContain("4111", insights.MaskedText);
        Assert.DoesNotContain("DE89", insights.MaskedText);
        Assert.Contains("Bestellung 58213", insights.MaskedText);
        var created = Assert.Single(host.MemoryStore.Events());
        Assert.DoesNotContain("4111", created.Data);
    }

    [Fact]
    public async Task A_timestamp_older_than_five_minutes_is_refused_as_a_replay()
    {
        await using var host = await IngestionTestHost.StartAsync();
        var now = host.Time.GetUtcNow();

        var stale = await host.Client.SendAsync(host.Zendesk(Payloads.ZendeskTicketCreated(), signedAt: now.AddMinutes(-6)), TestContext.Current.CancellationToken);
        var future = await host.Client.SendAsync(host.Zendesk(Payloads.ZendeskTicketCreated(), signedAt: now.AddMinutes(6)), TestContext.Current.CancellationToken);
        var fresh = await host.Client.SendAsync(host.Zendesk(Payloads.ZendeskTicketCreated(), signedAt: now.AddMinutes(-4)), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, future.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, fresh.StatusCode);
        Assert.Single(host.MemoryStore!.All());
    }

    [Fact]
    public async Task A_signature_over_a_different_timestamp_or_secret_is_refused()
    {
        await using var host = await IngestionTestHost.StartAsync();

        var wrongSecret = await host.Client.SendAsync(host.Zendesk(Payloads.ZendeskTicketCreated(), secret: "other"), TestContext.Current.CancellationToken);
        var swapped = host.Zendesk(Payloads.ZendeskTicketCreated());
        swapped.Headers.Remove("X-Zendesk-Webhook-Signature-Timestamp");
        swapped.Headers.Add("X-Zendesk-Webhook-Signature-Timestamp", host.Time.GetUtcNow().AddSeconds(1).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
        var swappedResponse = await host.Client.SendAsync(swapped, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, swappedResponse.StatusCode);
        Assert.Empty(host.MemoryStore!.All());
    }

    [Fact]
    public async Task A_staff_comment_is_added_once_and_counts_as_first_response()
    {
        await using var host = await IngestionTestHost.StartAsync();
        await host.Client.SendAsync(host.Zendesk(Payloads.ZendeskTicketCreated()), TestContext.Current.CancellationToken);

        var first = await host.Client.SendAsync(host.Zendesk(Payloads.ZendeskCommentAdded()), TestContext.Current.CancellationToken);
        var again = await host.Client.SendAsync(host.Zendesk(Payloads.ZendeskCommentAdded()), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var ticket = Assert.Single(host.MemoryStore!.All());
        var comment = Assert.Single(ticket.Comments);
        Assert.Equal("Lena (Support)", comment.Author);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 55, 0, TimeSpan.Zero), ticket.FirstResponseAt);
    }

    [Fact]
    public async Task Unknown_priorities_and_missing_ids_are_named_in_the_400()
    {
        await using var host = await IngestionTestHost.StartAsync();

        var badPriority = await host.Client.SendAsync(host.Zendesk(Payloads.ZendeskTicketCreated(priority: "SOON")), TestContext.Current.CancellationToken);
        var badId = await host.Client.SendAsync(host.Zendesk(Payloads.ZendeskTicketCreated(id: "12a")), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, badPriority.StatusCode);
        Assert.True((await badPriority.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("errors").TryGetProperty("detail.priority", out _));
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        Assert.True((await badId.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("errors").TryGetProperty("detail.id", out _));
    }
}
