using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AspireTickets.Agents.Similarity;
using AspireTickets.Agents.Workflow;
using AspireTickets.Domain.Tickets;
using AspireTickets.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

namespace AspireTickets.Tests.Agents;

/// <summary>The whole embedded product: API → outbox → event log → agents workflow → analysis on the ticket.</summary>
public sealed class AgentsEndToEndTests : ApiTestBase
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    protected override void Configure(TicketsAppFactory app)
    {
        app.Settings["Agents:Workflow:ConsumeEvents"] = "true";
        app.Settings["Agents:Workflow:RetryDelay"] = "00:00:00.010";
    }

    private async Task<Ticket> CreateTicketAsync(object body)
    {
        var response = await Client.PostAsJsonAsync("/api/tickets", body, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadAsync<Ticket>();
    }

    private async Task<Ticket> SeedResolvedAsync(string title, string description, string category, string answer)
    {
        var ticket = await CreateTicketAsync(new { title, description, category, reporter = new { name = "Robin", email = "robin@example.com" } });
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync($"/api/tickets/{ticket.Id}/comments", new { text = answer, isPublic = true }, Ct)).StatusCode);
        var resolve = new HttpRequestMessage(HttpMethod.Patch, $"/api/tickets/{ticket.Id}") { Content = JsonContent.Create(new { status = "Resolved" }) };
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(resolve, Ct)).StatusCode);
        return ticket;
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what) where T : class
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            await Task.Delay(100, Ct);
        }
        throw new TimeoutException($"Timed out waiting for {what}.");
    }

    [Fact]
    public async Task A_ticket_created_through_the_api_is_analyzed_with_a_cited_suggestion()
    {
        var kb = await Client.PostAsJsonAsync("/api/kb", new
        {
            title = "Sign-in problems",
            body = "# Sign-in problems\n\n## Password reset does not work\n\n- Use the newest reset link; older links expire after 15 minutes.\n- Clear cookies for the portal and sign in again.\n",
            tags = new[] { "login" },
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, kb.StatusCode);
        var article = await kb.ReadJsonAsync();

        var seeds = new[]
        {
            await SeedResolvedAsync("Cannot log in after password reset", "The login page says my credentials are invalid after I reset my password.", "account",
                "1. Clear the browser cache and cookies for the portal.\n2. Sign in with the new password in a private window."),
            await SeedResolvedAsync("Invoice shows the wrong VAT rate", "Our March invoice applied 19% VAT although we are exempt.", "billing",
                "We corrected the tax profile; download the corrected invoice from Billing > Invoices."),
        };
        var index = App.Services.GetRequiredService<TicketSimilarityIndex>();
        await EventuallyAsync(() => Task.FromResult(seeds.All(s => index.Get(s.Id)?.IsResolved == true) ? "indexed" : null), "the resolved tickets to be indexed");

        var ticket = await CreateTicketAsync(new { title = "Login fails since my password reset", description = "I reset my password and now I cannot log in: invalid credentials." });

        var analyzed = await EventuallyAsync(async () =>
        {
            var current = await (await Client.GetAsync($"/api/tickets/{ticket.Id}", Ct)).ReadAsync<Ticket>();
            return current.Analysis?.Suggestion is not null ? current : null;
        }, "the analysis");

        var analysis = analyzed.Analysis!;
        Assert.Equal(TicketStatus.Triaged, analyzed.Status);
        Assert.Equal("account", analysis.Category);
        Assert.True(analysis.Quality?.Passed, string.Join("; ", analysis.Quality?.Reasons ?? []));
        Assert.Contains(analysis.Suggestion!.Citations, c => c.Kind == CitationKind.Ticket && c.SourceId == seeds[0].Id.ToString());
        Assert.Contains(analysis.Suggestion.Citations, c => c.Kind == CitationKind.Article && c.SourceId == article.GetProperty("id").GetString());
        Assert.Equal(seeds[0].Id, analysis.DuplicateCandidates[0].TicketId);
        Assert.Null(analyzed.DuplicateOf);

        var runs = await (await Client.GetAsync($"/api/tickets/{ticket.Id}/workflows", Ct)).ReadJsonAsync();
        var run = runs.EnumerateArray().Single();
        Assert.Equal("ticket.created", run.GetProperty("trigger").GetString());
        Assert.Equal("Succeeded", run.GetProperty("status").GetString());

        var audit = await (await Client.GetAsync($"/api/tickets/{ticket.Id}/audit", Ct)).ReadJsonAsync();
        Assert.Contains(audit.EnumerateArray(), a => a.GetProperty("field").GetString() == "analysis" && a.GetProperty("actor").GetString() == AnalysisWriter.Actor);
    }

    [Fact]
    public async Task The_workflow_can_be_rerun_through_the_api_and_inspected()
    {
        var ticket = await CreateTicketAsync(new { title = "Printer offline", description = "The office printer shows offline." });

        var response = await Client.PostAsync($"/api/tickets/{ticket.Id}/workflow", null, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.ReadJsonAsync();
        var runId = accepted.GetProperty("runId").GetString();
        Assert.Equal($"/api/workflows/{runId}", response.Headers.Location?.ToString());
        var run = await EventuallyAsync(async () =>
        {
            var current = await (await Client.GetAsync($"/api/workflows/{runId}", Ct)).ReadJsonAsync();
            return current.GetProperty("status").GetString() is "Succeeded" or "PartiallySucceeded" or "Failed" ? (object)current : null;
        }, "the run to finish");
        var finished = (JsonElement)run;
        Assert.Equal("Succeeded", finished.GetProperty("status").GetString());
        Assert.Equal("api", finished.GetProperty("trigger").GetString());
        Assert.Equal("api:tests", finished.GetProperty("triggeredBy").GetString());
        Assert.Equal(WorkflowSteps.All, finished.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()!));

        var health = await EventuallyAsync(async () =>
        {
            var h = await (await Client.GetAsync("/api/agents/health", Ct)).ReadJsonAsync();
            return h.GetProperty("steps").EnumerateArray().First().GetProperty("runs").GetInt32() >= 2 ? (object)h : null;
        }, "health to count both runs");
        var triage = ((JsonElement)health).GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("step").GetString() == "triage");
        Assert.Equal(1.0, triage.GetProperty("successRate").GetDouble());
        Assert.True(triage.GetProperty("p95Ms").GetDouble() >= triage.GetProperty("p50Ms").GetDouble());
    }

    [Fact]
    public async Task Workflow_endpoints_answer_with_problem_details()
    {
        var missing = Guid.NewGuid();
        var start = await Client.PostAsync($"/api/tickets/{missing}/workflow", null, Ct);
        Assert.Equal(HttpStatusCode.NotFound, start.StatusCode);
        Assert.Equal("application/problem+json", start.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/workflows/{missing}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/tickets/{missing}/workflows", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.CreateClient().GetAsync("/api/agents/health", Ct)).StatusCode);
    }

    [Fact]
    public async Task Knowledge_base_crud_validates_and_retrieves_sections()
    {
        var invalid = await Client.PostAsJsonAsync("/api/kb", new { title = "", body = "", tags = new[] { new string('x', 60) } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var problem = await invalid.ReadJsonAsync();
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("title", out _));
        Assert.True(errors.TryGetProperty("body", out _));
        Assert.True(errors.TryGetProperty("tags[0]", out _));

        var created = await Client.PostAsJsonAsync("/api/kb", new { title = "VPN", body = "# Connect\nInstall the client.\n\n# Disconnects\nTurn off power saving for the network adapter.", tags = new[] { "vpn" } }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.ReadJsonAsync()).GetProperty("id").GetString();

        var search = await (await Client.GetAsync("/api/kb/search?q=vpn%20keeps%20disconnecting", Ct)).ReadJsonAsync();
        Assert.Equal("Disconnects", search.EnumerateArray().First().GetProperty("section").GetString());

        var update = await Client.PutAsJsonAsync($"/api/kb/{id}", new { title = "VPN guide", body = "# Connect\nInstall the client." }, Ct);
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal("VPN guide", (await (await Client.GetAsync($"/api/kb/{id}", Ct)).ReadJsonAsync()).GetProperty("title").GetString());
        Assert.Single((await (await Client.GetAsync("/api/kb", Ct)).ReadJsonAsync()).EnumerateArray());

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/kb/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/kb/{id}", Ct)).StatusCode);
        Assert.Empty((await (await Client.GetAsync("/api/kb/search?q=vpn", Ct)).ReadJsonAsync()).EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync("/api/kb/search", Ct)).StatusCode);
    }
}
