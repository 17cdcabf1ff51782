using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using AspireTickets.Agents.Similarity;
using AspireTickets.Domain.Diagnostics;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;
using Microsoft.Extensions.Options;

namespace AspireTickets.Agents.Workflow;

/// <summary>
/// Runs triage → duplicates → resolution → quality → update for one ticket and records every step (status, times,
/// attempts, summary, error) in the run record. A step that throws is retried with exponential backoff; when it still
/// fails, the run goes on with the steps that do not need it, and the update step saves whatever succeeded, so one
/// broken step never costs the others' results.
/// </summary>
public sealed class TicketWorkflow(
    ITicketStore store,
    WorkflowRunStore runs,
    TicketSimilarityIndex index,
    ITriageAgent triage,
    IResolutionAgent resolution,
    IQualityAgent quality,
    AnalysisWriter writer,
    AgentsReadiness readiness,
    IOptionsMonitor<AgentsOptions> options,
    TimeProvider time,
    ILogger<TicketWorkflow> logger)
{
    private static readonly Meter Meter = new(TicketsTelemetry.MeterName);
    private static readonly Histogram<double> StepDuration = Meter.CreateHistogram<double>("agents.workflow.step.duration", "ms", "Duration of one workflow step (all attempts)");
    public const string StepStatusTag = "workflow.step.status";

    private static readonly Counter<long> RunCount = Meter.CreateCounter<long>("agents.workflow.runs", description: "Finished workflow runs by status");

    /// <summary>A new queued run record (not yet saved).</summary>
    public WorkflowRun NewRun(Guid ticketId, string trigger, string? triggeredBy, Guid? runId = null) => new()
    {
        Id = runId ?? Guid.CreateVersion7(),
        TicketId = ticketId,
        Trigger = trigger,
        TriggeredBy = triggeredBy,
        QueuedAt = time.GetUtcNow(),
        Steps = [.. WorkflowSteps.All.Select(s => new WorkflowStepRun { Name = s })],
    };

    public async Task<WorkflowRun> RunAsync(Guid ticketId, string trigger, string? triggeredBy = null, CancellationToken ct = default) =>
        await RunAsync(NewRun(ticketId, trigger, triggeredBy), ct);

    /// <summary>Executes a run record (queued earlier or new) to its end and stores it.</summary>
    public async Task<WorkflowRun> RunAsync(WorkflowRun run, CancellationToken ct = default)
    {
        using var activity = TicketsTelemetry.ActivitySource.StartActivity("agents.workflow");
        activity?.SetTag("ticket.id", run.TicketId.ToString());
        activity?.SetTag("workflow.run_id", run.Id.ToString());
        activity?.SetTag("workflow.trigger", run.Trigger);

        await readiness.WaitAsync(ct);
        run.Status = WorkflowRunStatus.Running;
        run.StartedAt = time.GetUtcNow();
        await runs.SaveAsync(run, ct);

        var ticket = await store.GetAsync(run.TicketId, ct);
        if (ticket is null || ticket.IsArchived)
        {
            run.Notes.Add(ticket is null ? "the ticket does not exist" : "the ticket is archived; nothing to analyze");
            foreach (var step in run.Steps)
            {
                step.Status = StepStatus.Skipped;
            }
            return await FinishAsync(run, WorkflowRunStatus.Failed, activity, ct);
        }

        var context = new WorkflowContext(ticket, run, index);
        await StepAsync(context, WorkflowSteps.Triage, TriageAsync, ct);
        await StepAsync(context, WorkflowSteps.Duplicates, DuplicatesAsync, ct);
        await StepAsync(context, WorkflowSteps.Resolution, ResolutionAsync, ct);
        if (context.Suggestion is null)
        {
            Skip(run, WorkflowSteps.Quality, Step(run, WorkflowSteps.Resolution).Status == StepStatus.Failed ? "resolution failed" : "no suggestion to check");
        }
        else
        {
            await StepAsync(context, WorkflowSteps.Quality, QualityAsync, ct);
        }

        var anyFinding = new[] { WorkflowSteps.Triage, WorkflowSteps.Duplicates, WorkflowSteps.Resolution }.Any(s => Step(run, s).Status == StepStatus.Succeeded);
        if (anyFinding)
        {
            await StepAsync(context, WorkflowSteps.Update, writer.WriteAsync, ct);
        }
        else
        {
            Skip(run, WorkflowSteps.Update, "no step produced a result");
        }

        var status = Step(run, WorkflowSteps.Update).Status != StepStatus.Succeeded
            ? WorkflowRunStatus.Failed
            : run.Steps.Any(s => s.Status == StepStatus.Failed)
                ? WorkflowRunStatus.PartiallySucceeded
                : WorkflowRunStatus.Succeeded;
        if (status != WorkflowRunStatus.Failed)
        {
            // Keep the similarity index current even without the event round trip (status, resolution, duplicates).
            // The update step's own copy is the stored state; reading it back would cost a query per run.
            if ((context.Saved ?? await store.GetAsync(ticket.Id, ct)) is { } saved)
            {
                index.Upsert(saved);
            }
        }
        return await FinishAsync(run, status, activity, ct);
    }

    private async Task<string> TriageAsync(WorkflowContext context, CancellationToken ct)
    {
        var outcome = await triage.TriageAsync(context, ct);
        context.Triage = outcome;
        var eta = outcome.EstimatedTimeToResolve is { } e ? string.Create(CultureInfo.InvariantCulture, $", about {e.TotalHours:0.#} h to resolve") : "";
        return $"category {outcome.Category ?? "none"}, priority {outcome.Priority?.ToString() ?? "none"}, confidence {Format.Score(outcome.Confidence)} ({outcome.ModelVersion}){eta}";
    }

    private Task<string> DuplicatesAsync(WorkflowContext context, CancellationToken ct)
    {
        var settings = options.CurrentValue.Duplicates;
        var candidates = context.Similar
            .Where(s => s.Score >= settings.MinScore)
            .Take(settings.Candidates)
            .Select(s => new DuplicateCandidate(s.Entry.Id, s.Entry.Title, Math.Round(s.Score, 4)))
            .ToList();
        context.Duplicates = candidates;

        // Link only to a ticket that came first (so two duplicates never point at each other), and to the root of its
        // chain when it is itself a duplicate.
        var best = context.Similar.FirstOrDefault(s => s.Score >= settings.Threshold && s.Entry.CreatedAt <= context.Ticket.CreatedAt && s.Entry.Id != context.Ticket.Id);
        if (best is not null)
        {
            var original = best.Entry;
            for (var hops = 0; original.DuplicateOf is { } parent && hops < 10 && index.Get(parent) is { } next; hops++)
            {
                original = next;
            }
            if (original.Id != context.Ticket.Id)
            {
                context.DuplicateOf = original.Id;
            }
        }
        var summary = candidates.Count == 0 ? "no similar ticket" : $"{candidates.Count} candidates, best {Format.Score(candidates[0].Score)}";
        return Task.FromResult(context.DuplicateOf is { } id ? $"{summary}; duplicate of {id} (threshold {Format.Score(settings.Threshold)})" : summary);
    }

    private async Task<string> ResolutionAsync(WorkflowContext context, CancellationToken ct)
    {
        var suggestion = await resolution.SuggestAsync(context, ct);
        context.Suggestion = suggestion;
        return suggestion is null
            ? "no similar resolved ticket or article to ground a suggestion"
            : $"suggestion with {suggestion.Citations.Count} citations ({suggestion.Citations.Count(c => c.Kind == CitationKind.Ticket)} tickets, {suggestion.Citations.Count(c => c.Kind == CitationKind.Article)} article sections)";
    }

    private async Task<string> QualityAsync(WorkflowContext context, CancellationToken ct)
    {
        var verdict = await quality.CheckAsync(context, context.Suggestion!, ct);
        context.Quality = verdict;
        return $"{(verdict.Passed ? "passed" : "flagged")} (score {Format.Score(verdict.Score)}): {string.Join("; ", verdict.Reasons)}";
    }

    private async Task StepAsync(WorkflowContext context, string name, Func<WorkflowContext, CancellationToken, Task<string>> execute, CancellationToken ct)
    {
        var step = Step(context.Run, name);
        var settings = options.CurrentValue.Workflow;
        using var activity = TicketsTelemetry.ActivitySource.StartActivity($"agents.workflow.{name}");
        step.Status = StepStatus.Running;
        step.StartedAt = time.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            step.Attempts = attempt;
            try
            {
                step.Summary = await execute(context, ct);
                step.Status = StepStatus.Succeeded;
                step.Error = null;
                break;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                step.Error = $"{e.GetType().Name}: {e.Message}";
                if (attempt >= settings.MaxAttempts || !IsTransient(e))
                {
                    step.Status = StepStatus.Failed;
                    activity?.SetStatus(ActivityStatusCode.Error, e.Message);
                    logger.LogWarning(e, "Workflow step {Step} failed for ticket {TicketId} after {Attempts} attempt(s)", name, context.Ticket.Id, attempt);
                    break;
                }
                var delay = settings.RetryDelay * Math.Pow(2, attempt - 1);
                logger.LogInformation("Workflow step {Step} for ticket {TicketId} failed (attempt {Attempt}); retrying in {Delay}", name, context.Ticket.Id, attempt, delay);
                if (delay > TimeSpan.Zero)
                {
                    // Real time, not the injectable clock: backoff is about giving a busy resource a moment.
                    await Task.Delay(delay, ct);
                }
            }
        }
        activity?.SetTag(StepStatusTag, step.Status.ToString());
        step.DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        step.EndedAt = time.GetUtcNow();
        StepDuration.Record(step.DurationMs, new KeyValuePair<string, object?>("step", name), new KeyValuePair<string, object?>("status", step.Status.ToString()));
    }

    /// <summary>Mistakes in the input or the code will fail again; anything else (I/O, busy store, conflicts, timeouts) may not.</summary>
    private static bool IsTransient(Exception e) =>
        e is not (TicketRuleException or ArgumentException or NotSupportedException or NotImplementedException or FormatException or InvalidDataException or TicketNotFoundException);

    private async Task<WorkflowRun> FinishAsync(WorkflowRun run, WorkflowRunStatus status, Activity? activity, CancellationToken ct)
    {
        run.Status = status;
        run.EndedAt = time.GetUtcNow();
        activity?.SetTag("workflow.status", status.ToString());
        RunCount.Add(1, new KeyValuePair<string, object?>("status", status.ToString()));
        await runs.SaveAsync(run, ct);
        return run;
    }

    private static WorkflowStepRun Step(WorkflowRun run, string name) => run.Steps.First(s => s.Name == name);

    /// <summary>Marks a step skipped; it still gets its (empty) span, so the trace shows every step and why one did not run.</summary>
    private static void Skip(WorkflowRun run, string name, string reason)
    {
        using var activity = TicketsTelemetry.ActivitySource.StartActivity($"agents.workflow.{name}");
        activity?.SetTag(StepStatusTag, nameof(StepStatus.Skipped));
        activity?.SetTag("workflow.step.reason", reason);
        var step = Step(run, name);
        step.Status = StepStatus.Skipped;
        step.Summary = reason;
    }
}
