using AspireTickets.Web.Components.Layout;
using AspireTickets.Web.Components.Pages;
using Bunit;

namespace AspireTickets.Tests.Web;

public sealed class RoleVisibilityTests
{
    [Theory]
    [InlineData("agent", false)]
    [InlineData("lead", true)]
    [InlineData("admin", true)]
    public async Task Settings_are_in_the_menu_only_for_leads_and_admins(string role, bool visible)
    {
        await using var ctx = new WebTestContext(role);

        var menu = ctx.Render<NavMenu>();

        Assert.Equal(visible, menu.FindAll("a").Any(a => a.GetAttribute("href") == "/settings"));
        Assert.Contains(menu.FindAll("a"), a => a.GetAttribute("href") == "/tickets");
    }

    [Theory]
    [InlineData("lead", false)]
    [InlineData("admin", true)]
    public async Task Users_and_api_keys_are_managed_by_admins_only(string role, bool visible)
    {
        await using var ctx = new WebTestContext(role);
        ctx.Api.On(HttpMethod.Get, "/api/taxonomy", new AspireTickets.Api.Apis.TaxonomyResponse(["bug"], [], [], new Dictionary<AspireTickets.Domain.Tickets.TicketStatus, IReadOnlyList<AspireTickets.Domain.Tickets.TicketStatus>>()));
        ctx.Api.On(HttpMethod.Get, "/api/users", Array.Empty<object>());
        ctx.Api.On(HttpMethod.Get, "/api/api-keys", Array.Empty<object>());

        var settings = ctx.Render<Settings>();

        settings.WaitForAssertion(() => Assert.Contains("Taxonomy", settings.Markup, StringComparison.Ordinal));
        Assert.Equal(visible, settings.Markup.Contains("API keys", StringComparison.Ordinal));
        Assert.Equal(visible, settings.Markup.Contains("Users", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("agent", false)]
    [InlineData("lead", true)]
    public async Task Only_leads_write_knowledge_base_articles(string role, bool canWrite)
    {
        await using var ctx = new WebTestContext(role);
        ctx.Api.On(HttpMethod.Get, "/api/kb", new[] { new { id = "a1", title = "Resetting passwords", body = "# Steps", tags = new[] { "account" } } });

        var kb = ctx.Render<KnowledgeBase>();

        kb.WaitForAssertion(() => Assert.Contains("Resetting passwords", kb.Markup, StringComparison.Ordinal));
        Assert.Equal(canWrite, kb.FindAll("button").Any(b => b.TextContent.Contains("New article", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("agent", false)]
    [InlineData("lead", true)]
    public async Task Only_leads_retrain_and_roll_back_triage_models(string role, bool canChange)
    {
        await using var ctx = new WebTestContext(role);
        ctx.Api.On(HttpMethod.Get, "/api/agents/models", new
        {
            rollout = new { active = "model-2", candidate = (string?)null, candidateShare = 0.0 },
            versions = new[]
            {
                new { version = "model-2", trainedAt = "2026-05-04T08:00:00Z", trainingExamples = 200, heldOutExamples = 40, decision = "Promoted", hasModel = true, baselineVersion = "model-1", encoder = (string?)"all-MiniLM-L6-v2",
                      scores = new { categoryMacroF1 = 0.91, priorityMacroF1 = 0.80 }, baselineScores = new { categoryMacroF1 = 0.88, priorityMacroF1 = 0.79 } },
                new { version = "model-1", trainedAt = "2026-05-03T08:00:00Z", trainingExamples = 150, heldOutExamples = 30, decision = "Promoted", hasModel = true, baselineVersion = "rules", encoder = (string?)null,
                      scores = new { categoryMacroF1 = 0.88, priorityMacroF1 = 0.79 }, baselineScores = new { categoryMacroF1 = 0.31, priorityMacroF1 = 0.40 } },
            },
        });

        var agents = ctx.Render<AspireTickets.Web.Components.Pages.Agents>();

        agents.WaitForAssertion(() => Assert.Contains("model-1", agents.Markup, StringComparison.Ordinal));
        Assert.Contains("0.910 / 0.800", agents.Markup, StringComparison.Ordinal);
        Assert.Contains("n-grams + all-MiniLM-L6-v2", agents.Markup, StringComparison.Ordinal);
        Assert.Contains("n-grams only", agents.Markup, StringComparison.Ordinal);
        Assert.Equal(canChange, agents.FindAll("button").Any(b => b.TextContent.Contains("Retrain now", StringComparison.Ordinal)));
        // The active version has no "Make active"; the older kept one has it, for leads.
        Assert.Equal(canChange ? 1 : 0, agents.FindAll("button").Count(b => b.TextContent.Contains("Make active", StringComparison.Ordinal)));
        Assert.Equal(canChange ? 1 : 0, agents.FindAll("button").Count(b => b.TextContent.Contains("A/B test", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_lead_starts_an_AB_split_with_a_kept_version()
    {
        await using var ctx = new WebTestContext("lead");
        ctx.Api.On(HttpMethod.Get, "/api/agents/models", new
        {
            rollout = new { active = "model-2", candidate = (string?)null, candidateShare = 0.0 },
            versions = new[]
            {
                new { version = "model-2", decision = "Promoted", hasModel = true },
                new { version = "model-1", decision = "Promoted", hasModel = true },
            },
        });
        ctx.Api.On(HttpMethod.Put, "/api/agents/models/split", new { active = "model-2", candidate = "model-1", candidateShare = 0.2 });

        var agents = ctx.Render<AspireTickets.Web.Components.Pages.Agents>();
        agents.WaitForAssertion(() => Assert.Contains("model-1", agents.Markup, StringComparison.Ordinal));
        await agents.InvokeAsync(() => agents.FindAll("button").Single(b => b.TextContent.Contains("A/B test", StringComparison.Ordinal)).Click());

        agents.WaitForAssertion(() => Assert.Contains(ctx.Api.Requests, r => r.Method == HttpMethod.Put));
        var sent = ctx.Api.Requests.Single(r => r.Method == HttpMethod.Put);
        Assert.Equal("/api/agents/models/split", sent.Path);
        Assert.Equal("model-1", sent.Json.GetProperty("candidate").GetString());
        Assert.Equal(0.2, sent.Json.GetProperty("candidateShare").GetDouble());
    }

    [Fact]
    public async Task A_feature_the_api_does_not_have_yet_says_so_instead_of_failing()
    {
        await using var ctx = new WebTestContext("agent");

        var agents = ctx.Render<AspireTickets.Web.Components.Pages.Agents>();

        agents.WaitForAssertion(() => Assert.Contains("Workflow health is not available on this server yet.", agents.Markup, StringComparison.Ordinal));
        Assert.Contains("The dead-letter list is not available on this server yet.", agents.Markup, StringComparison.Ordinal);
    }
}
