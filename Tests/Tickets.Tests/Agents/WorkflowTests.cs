using AspireTickets.Agents.Workflow;
using AspireTickets.Domain.Events;
using AspireTickets.Domain.Tickets;
using Microsoft.Extensions.DependencyInjection;

namespace AspireTickets.Tests.Agents;

public sealed class WorkflowTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static async Task SeedHistoryAsync(AgentsHarness app)
    {
        await app.CreateResolvedAsync(
            "Cannot log in after password reset",
            "I reset my password this morning and now the login page says my credentials are invalid.",
            "Hi Sam, thanks for waiting.\n1. Clear the browser cache and cookies for the portal.\n2. Sign in with the new password in a private window.\n3. If it still fails, reset the password again from the login page; the first reset link expires after 15 minutes.",
            took: TimeSpan.FromHours(3));
        await app.CreateResolvedAsync(
            "Invoice shows the wrong VAT rate",
            "Our March invoice applied 19% VAT although we are VAT exempt.",
            "We corrected the tax profile of your organization. Download the corrected invoice from Billing > Invoices.",
            category: "billing", priority: TicketPriority.Medium, took: TimeSpan.FromHours(30));
        await app.KnowledgeBase.SaveAsync(new AspireTickets.Agents.KnowledgeBase.KnowledgeArticle
        {
            Title = "Sign-in problems",
            Body = "# Sign-in problems\n\n## Password reset does not work\n\n- Check that you use the newest reset link; older links expire after 15 minutes.\n- Clear cookies for the portal and sign in again.\n\n## Two-factor codes rejected\n\nSync the clock of your phone.",
            Tags = ["login"],
        }, "kb:tests", Ct);
    }

    [Fact]
    public async Task A_run_records_every_step_and_saves_the_analysis_with_audit_and_an_analyzed_event()
    {
        await using var app = await AgentsHarness.StartAsync();
        await SeedHistoryAsync(app);
        var ticket = await app.CreateAsync("Login fails after I reset my password", "Since resetting my password I cannot log in; it says invalid credentials.");

        var run = await app.Workflow.RunAsync(ticket.Id, TicketEventTypes.Created, ct: Ct);

        Assert.Equal(WorkflowRunStatus.Succeeded, run.Status);
        Assert.Equal(WorkflowSteps.All, run.Steps.Select(s => s.Name));
        Assert.All(run.Steps, s =>
        {
            Assert.Equal(StepStatus.Succeeded, s.Status);
            Assert.Equal(1, s.Attempts);
            Assert.NotNull(s.StartedAt);
            Assert.NotNull(s.EndedAt);
            Assert.False(string.IsNullOrEmpty(s.Summary));
        });
        var stored = await app.Get<WorkflowRunStore>().GetAsync(run.Id, Ct);
        Assert.Equal(WorkflowRunStatus.Succeeded, stored?.Status);

        var saved = (await app.Store.GetAsync(ticket.Id, Ct))!;
        var analysis = Assert.IsType<TicketAnalysis>(saved.Analysis);
        Assert.Equal("account", analysis.Category);
        Assert.Equal(TicketStatus.Triaged, saved.Status);
        Assert.Equal("account", saved.Category);
        Assert.Equal(TimeSpan.FromHours(3), analysis.EstimatedTimeToResolve);
        var suggestion = Assert.IsType<SuggestedResolution>(analysis.Suggestion);
        Assert.Contains(suggestion.Citations, c => c.Kind == CitationKind.Ticket);
        Assert.Contains(suggestion.Citations, c => c.Kind == CitationKind.Article && c.Section!.Contains("Password reset", StringComparison.Ordinal));
        Assert.True(analysis.Quality?.Passed, string.Join("; ", analysis.Quality?.Reasons ?? []));
        Assert.Equal(SuggestionState.Proposed, suggestion.State);

        var audit = await app.Store.GetAuditTrailAsync(ticket.Id, Ct);
        Assert.Contains(audit, a => a.Field == "analysis" && a.Actor == AnalysisWriter.Actor && a.Reason == $"workflow run {run.Id}");
        Assert.Contains(audit, a => a.Field == "status" && a.NewValue == "Triaged" && a.Actor == AnalysisWriter.Actor);
        var events = await app.Store.GetUnpublishedEventsAsync(100, Ct);
        var analyzed = Assert.Single(events, e => e.Type == TicketEventTypes.Analyzed && e.TicketId == ticket.Id);
        Assert.Contains(run.Id.ToString(), analyzed.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_step_that_fails_once_is_retried_and_the_attempts_are_recorded()
    {
        var flaky = new FlakyResolution(failures: 2);
        await using var app = await AgentsHarness.StartAsync(configure: s => s.AddSingleton<IResolutionAgent>(flaky));
        var ticket = await app.CreateAsync("Printer offline", "The office printer shows offline.");

        var run = await app.Workflow.RunAsync(ticket.Id, WorkflowTriggers.Api, ct: Ct);

        var step = run.Steps.Single(s => s.Name == WorkflowSteps.Resolution);
        Assert.Equal((StepStatus.Succeeded, 3), (step.Status, step.Attempts));
        Assert.Null(step.Error);
        Assert.Equal(WorkflowRunStatus.Succeeded, run.Status);
    }

    [Fact]
    public async Task A_failing_step_keeps_the_other_steps_results()
    {
        await using var app = await AgentsHarness.StartAsync(configure: s => s.AddSingleton<IResolutionAgent>(new FlakyResolution(failures: int.MaxValue)));
        await SeedHistoryAsync(app);
        var ticket = await app.CreateAsync("Cannot log in after password reset", "I reset my password this morning and now the login page says my credentials are invalid.");

        var run = await app.Workflow.RunAsync(ticket.Id, WorkflowTriggers.Api, ct: Ct);

        Assert.Equal(WorkflowRunStatus.PartiallySucceeded, run.Status);
        var resolution = run.Steps.Single(s => s.Name == WorkflowSteps.Resolution);
        Assert.Equal((StepStatus.Failed, 3), (resolution.Status, resolution.Attempts));
        Assert.Contains("resolver is down", resolution.Error, StringComparison.Ordinal);
        Assert.Equal(StepStatus.Skipped, run.Steps.Single(s => s.Name == WorkflowSteps.Quality).Status);
        Assert.Equal(StepStatus.Succeeded, run.Steps.Single(s => s.Name == WorkflowSteps.Update).Status);

        var analysis = (await app.Store.GetAsync(ticket.Id, Ct))!.Analysis!;
        Assert.Equal("account", analysis.Category);
        Assert.NotEmpty(analysis.DuplicateCandidates);
        Assert.Null(analysis.Suggestion);
    }

    [Fact]
    public async Task A_near_identical_earlier_ticket_is_linked_as_original_without_closing()
    {
        await using var app = await AgentsHarness.StartAsync();
        var original = await app.CreateAsync("VPN disconnects every 10 minutes on Windows 11", "After the latest client update the VPN tunnel drops every ten minutes and reconnects.");
        await app.CreateAsync("Dark mode for the dashboard", "Please add a dark theme.");
        var duplicate = await app.CreateAsync("VPN disconnects every 10 minutes on Windows 11", "After the latest client update the VPN tunnel drops every ten minutes and reconnects.");

        var run = await app.Workflow.RunAsync(duplicate.Id, WorkflowTriggers.Api, ct: Ct);

        var saved = (await app.Store.GetAsync(duplicate.Id, Ct))!;
        Assert.Equal(original.Id, saved.DuplicateOf);
        Assert.Equal(TicketStatus.Triaged, saved.Status);
        Assert.True(saved.Analysis!.DuplicateCandidates[0].Score >= 0.9);
        Assert.Contains(original.Id.ToString(), run.Steps.Single(s => s.Name == WorkflowSteps.Duplicates).Summary, StringComparison.Ordinal);

        // The original is never linked to its later copy.
        await app.Workflow.RunAsync(original.Id, WorkflowTriggers.Api, ct: Ct);
        Assert.Null((await app.Store.GetAsync(original.Id, Ct))!.DuplicateOf);
    }

    [Fact]
    public async Task With_auto_close_a_duplicate_is_closed_with_a_comment_pointing_to_the_original()
    {
        await using var app = await AgentsHarness.StartAsync(new() { ["Agents:Duplicates:AutoClose"] = "true" });
        var original = await app.CreateAsync("Export to CSV times out for large projects", "Exporting a project with 50k rows to CSV times out after 30 seconds.");
        var duplicate = await app.CreateAsync("Export to CSV times out for large projects", "Exporting a project with 50k rows to CSV times out after 30 seconds.");

        await app.Workflow.RunAsync(duplicate.Id, WorkflowTriggers.Api, ct: Ct);

        var saved = (await app.Store.GetAsync(duplicate.Id, Ct))!;
        Assert.Equal((TicketStatus.Duplicate, original.Id), (saved.Status, saved.DuplicateOf));
        var comment = Assert.Single(saved.Comments);
        Assert.Contains(original.Id.ToString(), comment.Text, StringComparison.Ordinal);
        Assert.Equal(AnalysisWriter.Actor, comment.Author);
    }

    [Fact]
    public async Task Below_the_threshold_nothing_is_linked()
    {
        await using var app = await AgentsHarness.StartAsync();
        await app.CreateAsync("VPN disconnects every 10 minutes", "The VPN tunnel drops and reconnects.");
        var other = await app.CreateAsync("Invoice PDF is blank", "The invoice download gives an empty PDF.");

        await app.Workflow.RunAsync(other.Id, WorkflowTriggers.Api, ct: Ct);

        Assert.Null((await app.Store.GetAsync(other.Id, Ct))!.DuplicateOf);
    }

    [Fact]
    public async Task Category_and_priority_chosen_by_a_person_are_not_overwritten()
    {
        await using var app = await AgentsHarness.StartAsync();
        var chosen = await app.CreateAsync("Production is down for all users", "The site is down, service unavailable.", t => (t.Category, t.Priority) = ("question", TicketPriority.Low));
        var unset = await app.CreateAsync("Production is down for all users", "The site is down, service unavailable.");

        await app.Workflow.RunAsync(chosen.Id, WorkflowTriggers.Api, ct: Ct);
        await app.Workflow.RunAsync(unset.Id, WorkflowTriggers.Api, ct: Ct);

        var kept = (await app.Store.GetAsync(chosen.Id, Ct))!;
        Assert.Equal(("question", TicketPriority.Low), (kept.Category, kept.Priority));
        Assert.Equal(("incident", TicketPriority.Critical), (kept.Analysis!.Category, kept.Analysis.Priority));
        var set = (await app.Store.GetAsync(unset.Id, Ct))!;
        Assert.Equal(("incident", TicketPriority.Critical), (set.Category, set.Priority));
    }

    [Fact]
    public async Task A_priority_a_person_changed_stays_even_when_it_is_medium()
    {
        await using var app = await AgentsHarness.StartAsync();
        var ticket = await app.CreateAsync("Production is down for all users", "The site is down, service unavailable.");
        var loaded = (await app.Store.GetAsync(ticket.Id, Ct))!;
        var editor = new TicketEditor(loaded, "api:alice", app.Time.GetUtcNow()).SetPriority(TicketPriority.High).SetPriority(TicketPriority.Medium);
        await app.Store.UpdateAsync(loaded, ticket.Version, new AspireTickets.Domain.Storage.TicketChanges(editor.Audit, []), Ct);

        await app.Workflow.RunAsync(ticket.Id, WorkflowTriggers.Api, ct: Ct);

        Assert.Equal(TicketPriority.Medium, (await app.Store.GetAsync(ticket.Id, Ct))!.Priority);
    }

    [Fact]
    public async Task Health_reports_runs_success_rate_latency_and_last_error_per_step()
    {
        var flaky = new FlakyResolution(failures: 3);
        await using var app = await AgentsHarness.StartAsync(configure: s => s.AddSingleton<IResolutionAgent>(flaky));
        var ticket = await app.CreateAsync("Printer offline", "The office printer shows offline.");
        await app.Workflow.RunAsync(ticket.Id, WorkflowTriggers.Api, ct: Ct); // three failed attempts
        await app.Workflow.RunAsync(ticket.Id, WorkflowTriggers.Api, ct: Ct); // succeeds

        var health = WorkflowHealth.Compute(await app.Get<WorkflowRunStore>().ListRecentAsync(100, Ct));

        var resolution = health.Single(h => h.Step == WorkflowSteps.Resolution);
        Assert.Equal((2, 1, 1, 0.5), (resolution.Runs, resolution.Succeeded, resolution.Failed, resolution.SuccessRate));
        Assert.Contains("resolver is down", resolution.LastError, StringComparison.Ordinal);
        Assert.True(resolution.P95Ms >= resolution.P50Ms);
        var triage = health.Single(h => h.Step == WorkflowSteps.Triage);
        Assert.Equal((2, 1.0, null), (triage.Runs, triage.SuccessRate, triage.LastError));
    }

    [Fact]
    public void Percentiles_use_the_nearest_rank()
    {
        double[] sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        Assert.Equal(5, WorkflowHealth.Percentile(sorted, 0.5));
        Assert.Equal(10, WorkflowHealth.Percentile(sorted, 0.95));
        Assert.Equal(0, WorkflowHealth.Percentile([], 0.5));
    }

    [Fact]
    public async Task A_ticket_that_does_not_exist_gives_a_failed_run_with_a_reason()
    {
        await using var app = await AgentsHarness.StartAsync();
        var run = await app.Workflow.RunAsync(Guid.NewGuid(), WorkflowTriggers.Api, ct: Ct);
        Assert.Equal(WorkflowRunStatus.Failed, run.Status);
        Assert.All(run.Steps, s => Assert.Equal(StepStatus.Skipped, s.Status));
        Assert.Contains("does not exist", Assert.Single(run.Notes), StringComparison.Ordinal);
    }

    /// <summary>Throws (a transient I/O error) for the first <c>failures</c> calls, then suggests nothing.</summary>
    private sealed class FlakyResolution(int failures) : IResolutionAgent
    {
        private int _calls;

        public Task<SuggestedResolution?> SuggestAsync(WorkflowContext context, CancellationToken ct) =>
            Interlocked.Increment(ref _calls) <= failures
                ? throw new IOException("resolver is down")
                : Task.FromResult<SuggestedResolution?>(null);
    }
}
