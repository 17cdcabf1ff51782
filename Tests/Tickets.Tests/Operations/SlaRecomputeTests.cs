using System.Net;
using System.Net.Http.Json;
using System.Text;
using AspireTickets.Agents.Workflow;
using AspireTickets.Domain.Tickets;
using AspireTickets.Tests.Agents;
using AspireTickets.Tests.Api;

namespace AspireTickets.Tests.Operations;

/// <summary>Due times follow the policy that matches the ticket now, whoever changed its priority or category.</summary>
public sealed class SlaRecomputeTests : ApiTestBase
{
    private async Task<Ticket> CreateAsync(string priority, string? category = null)
    {
        var response = await Client.PostAsJsonAsync("/api/tickets", new { title = "Checkout is slow", priority, category }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadAsync<Ticket>();
    }

    private async Task<Ticket> PatchAsync(Guid id, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/tickets/{id}") { Content = new StringContent(json, Encoding.UTF8, "application/merge-patch+json") };
        var response = await Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync<Ticket>();
    }

    [Fact]
    public async Task Medium_made_critical_an_hour_later_is_due_four_hours_after_creation()
    {
        var ticket = await CreateAsync("Medium");
        Assert.Equal(ticket.CreatedAt.AddDays(3), ticket.Sla.ResolutionDueAt);

        App.Time.Advance(TimeSpan.FromHours(1));
        var critical = await PatchAsync(ticket.Id, """{"priority":"Critical"}""");

        Assert.Equal(ticket.CreatedAt.AddMinutes(15), critical.Sla.FirstResponseDueAt);
        Assert.Equal(ticket.CreatedAt.AddHours(4), critical.Sla.ResolutionDueAt);
        var audit = await (await Client.GetAsync($"/api/tickets/{ticket.Id}/audit", Ct)).ReadAsync<List<AuditEntry>>();
        var resolution = Assert.Single(audit, a => a.Field == "sla.resolutionDueAt");
        Assert.Equal((ticket.CreatedAt.AddDays(3).ToString("O"), ticket.CreatedAt.AddHours(4).ToString("O"), "api:tests"), (resolution.OldValue, resolution.NewValue, resolution.Actor));
    }

    [Fact]
    public async Task A_category_policy_applies_when_only_the_category_changes_and_stops_applying_when_it_changes_again()
    {
        var put = await Client.PutAsJsonAsync("/api/sla-policies/critical.security", new { priority = "Critical", category = "security", firstResponse = "00:05:00", resolution = "01:00:00" }, Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var ticket = await CreateAsync("Critical", "bug");
        Assert.Equal(ticket.CreatedAt.AddHours(4), ticket.Sla.ResolutionDueAt);

        App.Time.Advance(TimeSpan.FromMinutes(20));
        var security = await PatchAsync(ticket.Id, """{"category":"security"}""");
        Assert.Equal((ticket.CreatedAt.AddMinutes(5), ticket.CreatedAt.AddHours(1)), (security.Sla.FirstResponseDueAt, security.Sla.ResolutionDueAt));

        var back = await PatchAsync(ticket.Id, """{"category":"bug"}""");
        Assert.Equal((ticket.CreatedAt.AddMinutes(15), ticket.CreatedAt.AddHours(4)), (back.Sla.FirstResponseDueAt, back.Sla.ResolutionDueAt));
    }

    [Fact]
    public async Task Other_edits_leave_the_due_times_alone()
    {
        var ticket = await CreateAsync("High");
        await Client.PutAsJsonAsync("/api/sla-policies/high", new { priority = "High", firstResponse = "02:00:00", resolution = "2.00:00:00" }, Ct);

        var edited = await PatchAsync(ticket.Id, """{"title":"Checkout is very slow","assignee":"erin@example.com"}""");

        // The stored policy changed, but nothing the policy is chosen by did: the promise made at creation stands.
        Assert.Equal((ticket.Sla.FirstResponseDueAt, ticket.Sla.ResolutionDueAt), (edited.Sla.FirstResponseDueAt, edited.Sla.ResolutionDueAt));
        var audit = await (await Client.GetAsync($"/api/tickets/{ticket.Id}/audit", Ct)).ReadAsync<List<AuditEntry>>();
        Assert.DoesNotContain(audit, a => a.Field.StartsWith("sla.", StringComparison.Ordinal));
    }
}

public sealed class WorkflowSlaRecomputeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Triage_that_raises_the_priority_moves_the_due_times_with_an_audit_entry_by_the_agent()
    {
        await using var app = await AgentsHarness.StartAsync();
        var ticket = await app.CreateAsync("Production is down for all users", "The site is down, service unavailable.", t =>
            t.Sla = new SlaDueTimes { FirstResponseDueAt = t.CreatedAt.AddHours(4), ResolutionDueAt = t.CreatedAt.AddDays(3) });
        app.Time.Advance(TimeSpan.FromMinutes(30));

        await app.Workflow.RunAsync(ticket.Id, WorkflowTriggers.Api, ct: Ct);

        var saved = (await app.Store.GetAsync(ticket.Id, Ct))!;
        Assert.Equal(TicketPriority.Critical, saved.Priority);
        Assert.Equal((ticket.CreatedAt.AddMinutes(15), ticket.CreatedAt.AddHours(4)), (saved.Sla.FirstResponseDueAt, saved.Sla.ResolutionDueAt));
        var audit = await app.Store.GetAuditTrailAsync(ticket.Id, Ct);
        var resolution = Assert.Single(audit, a => a.Field == "sla.resolutionDueAt");
        Assert.Equal((AnalysisWriter.Actor, ticket.CreatedAt.AddHours(4).ToString("O")), (resolution.Actor, resolution.NewValue));
    }

    [Fact]
    public async Task A_run_that_changes_neither_priority_nor_category_leaves_the_due_times()
    {
        await using var app = await AgentsHarness.StartAsync();
        var due = new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
        var ticket = await app.CreateAsync("Production is down for all users", "The site is down, service unavailable.", t =>
        {
            (t.Category, t.Priority) = ("question", TicketPriority.Low);
            t.Sla = new SlaDueTimes { FirstResponseDueAt = due, ResolutionDueAt = due };
        });

        await app.Workflow.RunAsync(ticket.Id, WorkflowTriggers.Api, ct: Ct);

        var saved = (await app.Store.GetAsync(ticket.Id, Ct))!;
        Assert.Equal((due, due), (saved.Sla.FirstResponseDueAt, saved.Sla.ResolutionDueAt));
    }
}
