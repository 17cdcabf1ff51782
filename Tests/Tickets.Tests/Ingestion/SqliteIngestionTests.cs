using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AspireTickets.Domain.Events;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Tests.Ingestion;

/// <summary>The same pipeline on the product's embedded SQLite store, as the module registers it.</summary>
public class SqliteIngestionTests
{
    [Fact]
    public async Task Concurrent_deliveries_of_one_issue_store_one_ticket_and_one_outbox_event()
    {
        await using var host = await IngestionTestHost.StartAsync(sqlite: true);
        Assert.IsNotType<InMemoryTicketStore>(host.Store);
        var payload = Payloads.JiraIssueCreated("OPS-9");
        var ct = TestContext.Current.CancellationToken;

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => host.Client.SendAsync(IngestionTestHost.Jira(payload), ct), ct)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<JsonElement>(ct)));
        Assert.Single(bodies.Select(b => b.GetProperty("ticketId").GetGuid()).Distinct());
        Assert.Single(bodies, b => b.GetProperty("created").GetBoolean());

        var page = await host.Store.QueryAsync(new TicketQuery { PageSize = 200 }, ct);
        var ticket = Assert.Single(page.Items);
        Assert.Equal("jira:OPS-9", ticket.SourceKey);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 8, 15, 2, TimeSpan.Zero), ticket.CreatedAt);
        Assert.Equal("en", ticket.Insights?.Language);
        var events = await host.Store.GetUnpublishedEventsAsync(100, ct);
        Assert.Single(events, e => e.Type == TicketEventTypes.Created && e.TicketId == ticket.Id);
        Assert.NotEmpty(await host.Store.GetAuditTrailAsync(ticket.Id, ct));
    }

    [Fact]
    public async Task Updates_and_comments_are_applied_once_on_SQLite()
    {
        await using var host = await IngestionTestHost.StartAsync(sqlite: true);
        var ct = TestContext.Current.CancellationToken;
        await host.Client.SendAsync(IngestionTestHost.Jira(Payloads.JiraIssueCreated()), ct);

        var update = Payloads.JiraIssueUpdated(priority: "Low", statusCategory: "done");
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => host.Client.SendAsync(IngestionTestHost.Jira(update), ct)));
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => host.Client.SendAsync(IngestionTestHost.Jira(Payloads.JiraCommentCreated()), ct)));

        var ticket = await host.Store.FindBySourceKeyAsync("jira:SHOP-42", ct);
        Assert.NotNull(ticket);
        Assert.Equal(TicketPriority.Low, ticket.Priority);
        Assert.Equal(TicketStatus.Resolved, ticket.Status);
        Assert.Single(ticket.Comments);
        var events = await host.Store.GetUnpublishedEventsAsync(100, ct);
        Assert.Equal(2, events.Count(e => e.Type == TicketEventTypes.Updated));
        var audit = await host.Store.GetAuditTrailAsync(ticket.Id, ct);
        Assert.Single(audit, a => a.Field == "priority" && a.NewValue == "Low");
    }

    [Fact]
    public async Task A_bulk_import_of_thousands_of_rows_lands_in_SQLite()
    {
        await using var host = await IngestionTestHost.StartAsync(sqlite: true);
        var ct = TestContext.Current.CancellationToken;
        var csv = new StringBuilder("id,title,description,priority,createdAt\n");
        for (var i = 0; i < 2_500; i++)
        {
            csv.Append(i).Append(",\"Ticket ").Append(i).Append(", imported\",\"VPN drops every ").Append(i % 60).Append(" minutes\",").Append(i % 3 == 0 ? "high" : "medium").Append(",2025-12-01T10:00:00Z\n");
        }

        var report = await (await host.Client.SendAsync(IngestionTestHost.Bulk(csv.ToString(), "?format=csv&map=key=id"), ct)).Content.ReadFromJsonAsync<JsonElement>(ct);

        Assert.Equal(2_500, report.GetProperty("created").GetInt32());
        Assert.Equal(0, report.GetProperty("failed").GetInt32());
        var page = await host.Store.QueryAsync(new TicketQuery { PageSize = 10 }, ct);
        Assert.Equal(2_500, page.TotalCount);
        var one = await host.Store.FindBySourceKeyAsync("import:42", ct);
        Assert.Equal("Ticket 42, imported", one?.Title);
        Assert.Equal(new DateTimeOffset(2025, 12, 1, 10, 0, 0, TimeSpan.Zero), one?.CreatedAt);
    }
}
