using System.Net;
using System.Text.Json;
using AspireTickets.Tests.Api;
using AspireTickets.Tests.Ingestion;

namespace AspireTickets.Tests.Agents;

/// <summary>
/// A source's update reaches the agents through the embedded product (webhook → ingestion → outbox → event log →
/// agents): a new title or description re-runs the workflow, a change of status alone does not. Until the event data
/// was one typed record, ingestion wrote <c>changedFields</c> and the agents read <c>textChanged</c>, so no source
/// update ever re-ran it.
/// </summary>
public sealed class SourceUpdateWorkflowTests : ApiTestBase
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    protected override void Configure(TicketsAppFactory app)
    {
        app.Settings["Agents:Workflow:ConsumeEvents"] = "true";
        app.Settings["Agents:Workflow:RetryDelay"] = "00:00:00.010";
        app.Settings["Ingestion:Sources:jira:Secret"] = IngestionTestHost.JiraSecret;
        app.Settings["Ingestion:Sources:zendesk:Secret"] = IngestionTestHost.ZendeskSecret;
    }

    private async Task<Guid> IngestAsync(HttpRequestMessage request)
    {
        var response = await Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("ticketId").GetGuid();
    }

    private HttpRequestMessage Zendesk(string body) => IngestionTestHost.ZendeskSigned(body, App.Time.GetUtcNow());

    /// <summary>The ticket's workflow runs (newest first) once there are <paramref name="count"/> of them.</summary>
    private async Task<JsonElement[]> RunsOnceThereAreAsync(Guid ticketId, int count)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var runs = (await (await Client.GetAsync($"/api/tickets/{ticketId}/workflows", Ct)).ReadJsonAsync()).EnumerateArray().ToArray();
            var finished = runs.Count(r => r.GetProperty("status").GetString() is not ("Pending" or "Running"));
            if (finished >= count || DateTime.UtcNow > deadline)
            {
                Assert.True(finished >= count, $"{finished} of {count} workflow runs finished within {Patience}");
                return runs;
            }
            await Task.Delay(100, Ct);
        }
    }

    /// <summary>
    /// The runs once <paramref name="count"/> finished and no further one started for a while: a status-only update that
    /// wrongly triggered would add its run within milliseconds of the text update's, so a quiet second is the proof.
    /// </summary>
    private async Task<JsonElement[]> SettledRunsAsync(Guid ticketId, int count)
    {
        var runs = await RunsOnceThereAreAsync(ticketId, count);
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        var later = (await (await Client.GetAsync($"/api/tickets/{ticketId}/workflows", Ct)).ReadJsonAsync()).EnumerateArray().ToArray();
        Assert.Equal(runs.Length, later.Length);
        return later;
    }

    private static string[] Triggers(JsonElement[] runs) => [.. runs.Select(r => r.GetProperty("trigger").GetString()!).Reverse()];

    [Fact]
    public async Task A_Jira_update_of_the_text_re_runs_the_workflow_and_one_of_the_status_alone_does_not()
    {
        var id = await IngestAsync(IngestionTestHost.Jira(Payloads.JiraIssueCreated("WF-1")));
        await RunsOnceThereAreAsync(id, 1);

        Assert.Equal(id, await IngestAsync(IngestionTestHost.Jira(Payloads.JiraIssueUpdated("WF-1", priority: "Highest", summary: "Checkout fails with HTTP 503 since the deploy"))));
        await RunsOnceThereAreAsync(id, 2);

        // The same text, now done: a status change only. Then a text change, whose run shows the status one was handled.
        await IngestAsync(IngestionTestHost.Jira(Payloads.JiraIssueUpdated("WF-1", priority: "Highest", statusCategory: "done", summary: "Checkout fails with HTTP 503 since the deploy")));
        var ticket = await (await Client.GetAsync($"/api/tickets/{id}", Ct)).ReadJsonAsync();
        Assert.Equal("Resolved", ticket.GetProperty("status").GetString());
        await IngestAsync(IngestionTestHost.Jira(Payloads.JiraIssueUpdated("WF-1", priority: "Highest", statusCategory: "done", summary: "Checkout fails with HTTP 503 after the 2.4 deploy")));
        var runs = await SettledRunsAsync(id, 3);

        Assert.Equal(["ticket.created", "ticket.updated", "ticket.updated"], Triggers(runs));
    }

    [Fact]
    public async Task A_Zendesk_subject_change_re_runs_the_workflow_and_a_status_change_does_not()
    {
        var id = await IngestAsync(Zendesk(Payloads.ZendeskTicketCreated("7001")));
        await RunsOnceThereAreAsync(id, 1);

        await IngestAsync(Zendesk(ZendeskEvent("7001", "ticket.status_changed", subject: "Rechnung doppelt abgebucht – bitte dringend prüfen", current: "open")));
        var ticket = await (await Client.GetAsync($"/api/tickets/{id}", Ct)).ReadJsonAsync();
        Assert.Equal("InProgress", ticket.GetProperty("status").GetString());
        await IngestAsync(Zendesk(ZendeskEvent("7001", "ticket.subject_changed", subject: "Invoice charged twice for order 58213", current: null)));
        var runs = await SettledRunsAsync(id, 2);

        Assert.Equal(["ticket.created", "ticket.updated"], Triggers(runs));
    }

    // A Zendesk ticket event (zendesk_event_version 2022-11-06) whose detail is the ticket after the change.
    private static string ZendeskEvent(string id, string type, string subject, string? current) => $$"""
    {
      "account_id": 22129848,
      "detail": { "id": "{{id}}", "subject": "{{subject}}", "description": "Hallo, meine Kreditkarte wurde zweimal belastet.", "priority": "URGENT", "status": "OPEN", "created_at": "2026-03-02T09:40:11Z", "tags": ["billing", "refund"], "type": "INCIDENT" },
      "event": {{(current is null ? "{}" : $$"""{ "current": "{{current}}", "previous": "new" }""")}},
      "id": "{{Guid.NewGuid()}}",
      "subject": "zen:ticket:{{id}}",
      "time": "2026-03-02T09:50:00Z",
      "type": "zen:event-type:{{type}}",
      "zendesk_event_version": "2022-11-06"
    }
    """;
}
