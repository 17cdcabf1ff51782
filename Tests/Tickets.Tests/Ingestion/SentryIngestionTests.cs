using System.Net;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Tests.Ingestion;

public class SentryIngestionTests
{
    [Fact]
    public async Task An_issue_alert_becomes_a_ticket_with_its_stack_frames_as_entities()
    {
        await using var host = await IngestionTestHost.StartAsync();

        var response = await host.Client.SendAsync(host.Sentry(Payloads.SentryEventAlert()), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var ticket = Assert.Single(host.MemoryStore!.All());
        Assert.Equal("sentry:1170820242", ticket.SourceKey);
        Assert.Equal("ZeroDivisionError: division by zero", ticket.Title);
        Assert.Equal(TicketPriority.High, ticket.Priority);
        Assert.Contains("level:error", ticket.Labels);
        Assert.Contains("environment:production", ticket.Labels);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 50, 12, 345, TimeSpan.Zero), ticket.CreatedAt);
        var frames = ticket.Insights!.Entities.Where(e => e.Kind == "stack_frame").Select(e => e.Value).ToList();
        Assert.Contains("billing.api.create_invoice (billing/api.py:57)", frames);
        Assert.Contains("billing.invoices.compute_tax (billing/invoices.py:112)", frames);
        Assert.Contains(ticket.Insights.Entities, e => e is { Kind: "exception", Value: "ZeroDivisionError" });
    }

    [Fact]
    public async Task Resolving_in_Sentry_resolves_the_ticket_and_a_regression_reopens_it()
    {
        await using var host = await IngestionTestHost.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        await host.Client.SendAsync(host.Sentry(Payloads.SentryEventAlert()), ct);

        var resolved = await host.Client.SendAsync(host.Sentry(Payloads.SentryIssue("resolved"), resource: "issue"), ct);
        Assert.Equal(HttpStatusCode.Accepted, resolved.StatusCode);
        Assert.Equal(TicketStatus.Resolved, Assert.Single(host.MemoryStore!.All()).Status);

        host.Time.Advance(TimeSpan.FromHours(1));
        var regression = Payloads.SentryEventAlert(eventId: "ffff4d664c3540c1a32eab185f12ffff", datetime: "2026-03-02T10:55:00Z");
        await host.Client.SendAsync(host.Sentry(regression), ct);
        await host.Client.SendAsync(host.Sentry(regression), ct);

        var ticket = Assert.Single(host.MemoryStore.All());
        Assert.Equal(TicketStatus.InProgress, ticket.Status);
        Assert.Single(ticket.Comments, c => c.Text.StartsWith("Regression", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Signature_and_timestamp_window_are_enforced()
    {
        await using var host = await IngestionTestHost.StartAsync();
        var ct = TestContext.Current.CancellationToken;

        var stale = await host.Client.SendAsync(host.Sentry(Payloads.SentryEventAlert(), signedAt: host.Time.GetUtcNow().AddMinutes(-10)), ct);
        var forged = await host.Client.SendAsync(host.Sentry(Payloads.SentryEventAlert(), secret: "guess"), ct);

        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Empty(host.MemoryStore!.All());
    }

    [Fact]
    public async Task Other_resources_are_ignored_and_a_missing_resource_header_is_malformed()
    {
        await using var host = await IngestionTestHost.StartAsync();
        var ct = TestContext.Current.CancellationToken;

        var installation = await host.Client.SendAsync(host.Sentry("""{"action":"created","data":{"installation":{}}}""", resource: "installation"), ct);
        var missing = host.Sentry(Payloads.SentryEventAlert());
        missing.Headers.Remove("Sentry-Hook-Resource");
        var missingResponse = await host.Client.SendAsync(missing, ct);

        Assert.Equal(HttpStatusCode.Accepted, installation.StatusCode);
        Assert.Contains("\"ignored\":true", await installation.Content.ReadAsStringAsync(ct));
        Assert.Equal(HttpStatusCode.BadRequest, missingResponse.StatusCode);
        Assert.Contains("Sentry-Hook-Resource", await missingResponse.Content.ReadAsStringAsync(ct));
    }
}
