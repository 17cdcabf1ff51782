using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AspireTickets.Agents.Models;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;
using AspireTickets.Infrastructure.Storage.Sqlite;
using AspireTickets.Tests.Api;

namespace AspireTickets.Tests.Agents;

/// <summary>The model life cycle through the embedded product: trained at start from history, inspected, rolled back, split.</summary>
public sealed class TriageModelsApiTests : ApiTestBase
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    // The history is in the store before the product starts, so the agents train their first model at start.
    protected override void Configure(TicketsAppFactory app)
    {
        using var store = new SqliteTicketStore(app.DataDirectory, app.Time);
        foreach (var ticket in TriageHistory.Resolved(200, seed: 11, app.Time.GetUtcNow().AddDays(-60)))
        {
            store.CreateAsync(ticket, TicketChanges.None).GetAwaiter().GetResult();
        }
    }

    [Fact]
    public async Task The_first_model_is_trained_at_start_and_a_retrain_that_is_not_better_is_rejected()
    {
        var active = await ActiveVersionAsync();

        var retrain = await RetrainAsync();

        Assert.Equal(HttpStatusCode.OK, retrain.StatusCode);
        var version = await retrain.ReadJsonAsync();
        Assert.Equal("Rejected", version.GetProperty("decision").GetString());
        Assert.Equal(active, version.GetProperty("baselineVersion").GetString());
        var models = await (await Client.GetAsync("/api/agents/models", Ct)).ReadJsonAsync();
        Assert.Equal(active, models.GetProperty("rollout").GetProperty("active").GetString());
        var versions = models.GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal(2, versions.Count);
        var promoted = Assert.Single(versions, v => v.GetProperty("decision").GetString() == "Promoted");
        Assert.Equal("rules", promoted.GetProperty("baselineVersion").GetString());
        Assert.True(promoted.GetProperty("scores").GetProperty("categoryMacroF1").GetDouble() > promoted.GetProperty("baselineScores").GetProperty("categoryMacroF1").GetDouble());
        Assert.Equal(active, (await (await Client.GetAsync("/api/agents/health", Ct)).ReadJsonAsync()).GetProperty("triageModel").GetString());
    }

    [Fact]
    public async Task Rollback_and_split_are_validated_and_the_analysis_names_the_model_that_triaged()
    {
        var first = await ActiveVersionAsync();
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync("/api/agents/models/rules/activate", null, Ct)).StatusCode);
        var second = (await (await RetrainAsync()).ReadJsonAsync()).GetProperty("version").GetString()!;
        Assert.Equal(second, await ActiveVersionAsync());

        var unknown = await Client.PostAsync("/api/agents/models/model-unknown/activate", null, Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        var tooMuch = await Client.PutAsJsonAsync("/api/agents/models/split", new { candidate = first, candidateShare = 0.9 }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, tooMuch.StatusCode);
        Assert.True((await tooMuch.ReadJsonAsync()).GetProperty("errors").TryGetProperty("candidateShare", out _));

        var split = await Client.PutAsJsonAsync("/api/agents/models/split", new { candidate = first, candidateShare = 0.5 }, Ct);
        Assert.Equal(HttpStatusCode.OK, split.StatusCode);

        // A ticket the split gives to the candidate is triaged by it, and its analysis says so.
        Ticket ticket;
        do
        {
            var created = await Client.PostAsJsonAsync("/api/tickets", new { title = "Refund for a double charge", description = "I was charged twice, please refund the invoice." }, Ct);
            ticket = await created.ReadAsync<Ticket>();
        }
        while (TriageModelHost.SplitBucket(ticket.Id) >= 0.5);
        var run = (await (await Client.PostAsync($"/api/tickets/{ticket.Id}/workflow", null, Ct)).ReadJsonAsync()).GetProperty("runId").GetString();
        var deadline = DateTime.UtcNow + Patience;
        Ticket analyzed;
        do
        {
            await Task.Delay(100, Ct);
            analyzed = await (await Client.GetAsync($"/api/tickets/{ticket.Id}", Ct)).ReadAsync<Ticket>();
        }
        while (analyzed.Analysis is null && DateTime.UtcNow < deadline);

        Assert.NotNull(run);
        Assert.NotNull(analyzed.Analysis);
        Assert.Contains(first, analyzed.Analysis.ModelVersion, StringComparison.Ordinal);
        Assert.Equal("billing", analyzed.Analysis.Category);
    }

    // The start-up retrain may still hold the retrain lease for a moment after it set the rollout.
    private async Task<HttpResponseMessage> RetrainAsync()
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var response = await Client.PostAsync("/api/agents/models/retrain", null, Ct);
            if (response.StatusCode != HttpStatusCode.Conflict || DateTime.UtcNow > deadline
                || (await response.ReadJsonAsync()).GetProperty("title").GetString() != "Retrain already running")
            {
                return response;
            }
            await Task.Delay(100, Ct);
        }
    }

    private async Task<string> ActiveVersionAsync()
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            var models = await (await Client.GetAsync("/api/agents/models", Ct)).ReadJsonAsync();
            var active = models.GetProperty("rollout").GetProperty("active").GetString()!;
            if (active != TriageModelRegistry.RulesVersion)
            {
                return active;
            }
            await Task.Delay(100, Ct);
        }
        throw new TimeoutException("The agents did not train a model at start.");
    }
}
