using System.Text.Json;
using System.Text.Json.Serialization;
using AspireTickets.Agents.Workflow;
using AspireTickets.Web.Components.Shared;
using Bunit;

namespace AspireTickets.Tests.Web;

/// <summary>
/// Issue 13's second bug: the panel guessed <c>completedAt</c>/<c>finishedAt</c> and a run-level <c>error</c>, while the
/// Agents send <c>endedAt</c> and errors per step, so no run showed its duration. The stub answers with a
/// <see cref="WorkflowRun"/> written as the Agents' API writes it (web defaults, enums by name).
/// </summary>
public sealed class WorkflowRunsPanelTests : IAsyncDisposable
{
    private static readonly JsonSerializerOptions AgentsJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(allowIntegerValues: false) } };

    private readonly WebTestContext _ctx = new();
    private readonly Guid _ticketId = Guid.CreateVersion7();

    [Fact]
    public void A_run_shows_its_duration_its_notes_and_the_error_of_the_step_that_failed()
    {
        var started = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        var run = new WorkflowRun
        {
            TicketId = _ticketId,
            Trigger = "ticket.created",
            Status = WorkflowRunStatus.PartiallySucceeded,
            QueuedAt = started,
            StartedAt = started,
            EndedAt = started.AddMilliseconds(1_500),
            Notes = ["The language model's answer was not valid JSON; the local triage answered."],
            Steps =
            [
                new WorkflowStepRun { Name = WorkflowSteps.Triage, Status = StepStatus.Succeeded, DurationMs = 12, Attempts = 1 },
                new WorkflowStepRun { Name = WorkflowSteps.Resolution, Status = StepStatus.Failed, DurationMs = 830, Attempts = 3, Error = "Knowledge base unavailable" },
                new WorkflowStepRun { Name = WorkflowSteps.Quality, Status = StepStatus.Skipped },
            ],
        };
        _ctx.Api.On(HttpMethod.Get, $"/api/tickets/{_ticketId}/workflows", JsonSerializer.SerializeToElement(new[] { run }, AgentsJson));

        var panel = _ctx.Render<WorkflowRunsPanel>(p => p.Add(x => x.TicketId, _ticketId));

        panel.WaitForAssertion(() => Assert.Equal("1.5 s", panel.Find("[data-testid=run-duration]").TextContent.Trim()));
        Assert.Equal("PartiallySucceeded", panel.Find("[data-testid=run-status]").TextContent.Trim());
        Assert.Contains("not valid JSON", panel.Markup);
        Assert.Contains("Knowledge base unavailable", panel.FindAll("[data-testid=step-error]").Select(e => e.TextContent));
        Assert.Contains("830 ms", panel.Markup);
    }

    public ValueTask DisposeAsync() => _ctx.DisposeAsync();
}
