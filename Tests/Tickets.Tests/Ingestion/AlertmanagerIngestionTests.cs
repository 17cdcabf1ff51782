using System.Net;
using AspireTickets.Domain.Events;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Tests.Ingestion;

public class AlertmanagerIngestionTests
{
    [Fact]
    public async Task Firing_opens_resolved_resolves_and_firing_again_reopens_one_ticket_per_fingerprint()
    {
        await using var host = await IngestionTestHost.StartAsync();
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal(HttpStatusCode.Accepted, (await host.Client.SendAsync(IngestionTestHost.Alertmanager(Payloads.Alertmanager("firing")), ct)).StatusCode);
        // Alertmanager re-sends firing alerts every repeat_interval: nothing changes.
        await host.Client.SendAsync(IngestionTestHost.Alertmanager(Payloads.Alertmanager("firing")), ct);
        var ticket = Assert.Single(host.MemoryStore!.All());
        Assert.Equal("alertmanager:a3f2c9e01b7d4e55", ticket.SourceKey);
        Assert.Equal("Checkout 5xx rate above 5%", ticket.Title);
        Assert.Equal(TicketPriority.Critical, ticket.Priority);
        Assert.Equal(TicketStatus.New, ticket.Status);
        Assert.Contains("Runbook: https://runbooks.example.com/checkout/high-error-rate", ticket.Description);
        Assert.Contains("service:checkout", ticket.Labels);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 58, 0, TimeSpan.Zero), ticket.CreatedAt);

        var resolved = Payloads.Alertmanager("resolved", endsAt: "2026-03-02T10:20:00Z");
        await host.Client.SendAsync(IngestionTestHost.Alertmanager(resolved), ct);
        await host.Client.SendAsync(IngestionTestHost.Alertmanager(resolved), ct);
        ticket = Assert.Single(host.MemoryStore.All());
        Assert.Equal(TicketStatus.Resolved, ticket.Status);
        Assert.Contains("Alert resolved at 2026-03-02T10:20:00.000Z.", Assert.Single(ticket.Comments).Text);

        // The old firing delivered late does not reopen it; a new firing does.
        await host.Client.SendAsync(IngestionTestHost.Alertmanager(Payloads.Alertmanager("firing")), ct);
        Assert.Equal(TicketStatus.Resolved, Assert.Single(host.MemoryStore.All()).Status);
        await host.Client.SendAsync(IngestionTestHost.Alertmanager(Payloads.Alertmanager("firing", startsAt: "2026-03-02T11:00:00Z")), ct);
        ticket = Assert.Single(host.MemoryStore.All());
        Assert.Equal(TicketStatus.InProgress, ticket.Status);
        Assert.Null(ticket.ResolvedAt);
        Assert.Equal(2, ticket.Comments.Count);

        Assert.Equal(1, host.MemoryStore.Events().Count(e => e.Type == TicketEventTypes.Created));
        Assert.Equal(2, host.MemoryStore.Events().Count(e => e.Type == TicketEventTypes.Updated));
    }

    [Fact]
    public async Task A_notification_with_several_alerts_yields_one_ticket_each()
    {
        await using var host = await IngestionTestHost.StartAsync();
        var two = Payloads.Alertmanager().Replace("\"alerts\": [", """
            "alerts": [
                { "status": "firing", "labels": { "alertname": "DiskFull", "severity": "warning" }, "annotations": {}, "startsAt": "2026-03-02T09:00:00Z", "endsAt": "0001-01-01T00:00:00Z", "fingerprint": "0000aaaa0000bbbb" },
            """, StringComparison.Ordinal);

        var response = await host.Client.SendAsync(IngestionTestHost.Alertmanager(two), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(2, host.MemoryStore!.All().Count);
        Assert.Contains(host.MemoryStore.All(), t => t.Title == "DiskFull" && t.Priority == TicketPriority.Medium);
    }

    [Fact]
    public async Task A_wrong_or_missing_bearer_token_is_refused()
    {
        await using var host = await IngestionTestHost.StartAsync();

        var wrong = await host.Client.SendAsync(IngestionTestHost.Alertmanager(Payloads.Alertmanager(), token: "am-token-0123456788"), TestContext.Current.CancellationToken);
        var missing = await host.Client.SendAsync(IngestionTestHost.Alertmanager(Payloads.Alertmanager(), token: null), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Empty(host.MemoryStore!.All());
    }

    [Fact]
    public async Task Other_payload_versions_and_empty_alert_lists_are_malformed()
    {
        await using var host = await IngestionTestHost.StartAsync();

        var v3 = await host.Client.SendAsync(IngestionTestHost.Alertmanager(Payloads.Alertmanager().Replace("\"version\": \"4\"", "\"version\": \"3\"", StringComparison.Ordinal)), TestContext.Current.CancellationToken);
        var empty = await host.Client.SendAsync(IngestionTestHost.Alertmanager("""{"version":"4","status":"firing","alerts":[]}"""), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, v3.StatusCode);
        Assert.Contains("\"version\"", await v3.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("\"alerts\"", await empty.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
