using AspireTickets.Domain.Events;
using AspireTickets.Domain.Sla;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Taxonomy;
using AspireTickets.Domain.Tickets;
using Microsoft.Extensions.Options;

namespace AspireTickets.Agents.Workflow;

/// <summary>
/// The update step: writes what the run found onto the ticket through <see cref="TicketEditor"/> (one audit entry per
/// change, actor <see cref="Actor"/>) and announces <c>ticket.analyzed</c> in the same store transaction (outbox).
///
/// People stay in control: category and priority are only written when no person chose them.
/// <list type="bullet">
/// <item>Category: only when the ticket has none, or the last change of it was by an agent (we may refine our own guess).</item>
/// <item>Priority: only when no person ever changed it (no audit entry by a non-agent) and it is either still the
/// default the ticket was created with (Medium) or was last set by an agent. A priority other than Medium given at
/// creation is a choice of the reporter or the source system and is kept.</item>
/// <item>Nothing outside the configured taxonomy is written, and nothing below the configured minimum confidence.</item>
/// </list>
/// </summary>
public sealed class AnalysisWriter(
    ITicketStore store, IOptionsMonitor<TicketTaxonomy> taxonomy, IOptionsMonitor<AgentsOptions> options, SlaCalculator sla, TimeProvider time, OutboxSignal outbox)
{
    public const string Actor = "agent:workflow";

    /// <summary>Minimum triage confidence for writing category/priority onto the ticket (the analysis always records them).</summary>
    public const double MinConfidenceToApply = 0.25;

    public async Task<string> WriteAsync(WorkflowContext context, CancellationToken ct)
    {
        // Re-read: the ticket may have changed while the steps ran; a conflict on write is retried by the workflow.
        var ticket = await store.GetAsync(context.Ticket.Id, ct) ?? throw new TicketNotFoundException(context.Ticket.Id);
        var audit = await store.GetAuditTrailAsync(ticket.Id, ct);
        var readVersion = ticket.Version;
        var now = time.GetUtcNow();
        var editor = new TicketEditor(ticket, Actor, now, $"workflow run {context.Run.Id}");
        var changes = new List<string>();
        var analysis = BuildAnalysis(context, ticket.Analysis, now);
        editor.SetAnalysis(analysis);

        foreach (var note in context.Notes)
        {
            editor.Record("analysis.note", null, note);
        }

        var categories = taxonomy.CurrentValue;
        if (context.Triage is { } triage && triage.Confidence >= MinConfidenceToApply)
        {
            if (categories.Normalize(triage.Category) is { } category && category != ticket.Category && AgentOwns(ticket.Category is null, "category", audit))
            {
                editor.SetCategory(category, categories);
                changes.Add($"category={category}");
            }
            if (triage.Priority is { } priority && priority != ticket.Priority && AgentOwns(ticket.Priority == TicketPriority.Medium, "priority", audit, requireNoPerson: true))
            {
                editor.SetPriority(priority);
                changes.Add($"priority={priority}");
            }
        }

        // Triage that changed the priority or category changes which SLA applies.
        await sla.FollowChangesAsync(editor, ct);

        if (context.DuplicateOf is { } original && ticket.DuplicateOf is null)
        {
            var settings = options.CurrentValue.Duplicates;
            if (settings.AutoClose && TicketLifecycle.CanMove(ticket.Status, TicketStatus.Duplicate))
            {
                var originalTitle = context.Duplicates?.FirstOrDefault(d => d.TicketId == original)?.Title;
                editor.MarkDuplicateOf(original);
                editor.AddComment(new TicketComment
                {
                    Author = Actor,
                    IsPublic = true,
                    Text = $"Closed as a duplicate of ticket {original}{(originalTitle is null ? "" : $" (\"{originalTitle}\")")}; follow that ticket for updates.",
                });
                changes.Add($"closed as duplicate of {original}");
            }
            else
            {
                editor.LinkDuplicateOf(original);
                changes.Add($"linked as duplicate of {original}");
            }
        }

        if (ticket.Status == TicketStatus.New)
        {
            editor.SetStatus(TicketStatus.Triaged);
            changes.Add("status=Triaged");
        }

        var analyzed = TicketEvent.Create(ticket.Id, now, new TicketAnalyzed(
            context.Run.Id, analysis.Category, analysis.Priority, analysis.Confidence, context.DuplicateOf,
            Suggestion: analysis.Suggestion is not null, QualityPassed: analysis.Quality?.Passed));
        await store.UpdateAsync(ticket, readVersion, new TicketChanges(editor.Audit, [analyzed]), ct);
        outbox.Notify();
        context.Ticket.Version = ticket.Version;
        context.Saved = ticket;
        return changes.Count == 0 ? "analysis saved" : $"analysis saved; {string.Join(", ", changes)}";
    }

    /// <summary>
    /// True when the agent may write the field: its current value is the unset/default one or the agent's own, and
    /// (with <paramref name="requireNoPerson"/>) no person ever changed it.
    /// </summary>
    private static bool AgentOwns(bool isUnsetOrDefault, string field, IReadOnlyList<AuditEntry> audit, bool requireNoPerson = false)
    {
        var entries = audit.Where(a => a.Field == field).ToList();
        if (requireNoPerson && entries.Any(a => !IsAgent(a.Actor)))
        {
            return false;
        }
        var last = entries.LastOrDefault();
        return last is null ? isUnsetOrDefault : IsAgent(last.Actor);
    }

    public static bool IsAgent(string actor) => actor.StartsWith("agent:", StringComparison.Ordinal);

    /// <summary>The run's findings; for a step that failed this run, the previous analysis's finding is kept.</summary>
    private static TicketAnalysis BuildAnalysis(WorkflowContext context, TicketAnalysis? previous, DateTimeOffset now)
    {
        var analysis = new TicketAnalysis { AnalyzedAt = now };
        if (context.Triage is { } triage)
        {
            analysis.Category = triage.Category;
            analysis.Priority = triage.Priority;
            analysis.Confidence = triage.Confidence;
            analysis.Rationale = triage.Rationale;
            analysis.EstimatedTimeToResolve = triage.EstimatedTimeToResolve;
        }
        else if (previous is not null)
        {
            analysis.Category = previous.Category;
            analysis.Priority = previous.Priority;
            analysis.Confidence = previous.Confidence;
            analysis.Rationale = previous.Rationale;
            analysis.EstimatedTimeToResolve = previous.EstimatedTimeToResolve;
        }

        analysis.DuplicateCandidates = context.Duplicates is { } duplicates ? [.. duplicates] : previous?.DuplicateCandidates ?? [];
        if (Succeeded(context, WorkflowSteps.Resolution))
        {
            analysis.Suggestion = context.Suggestion;
            analysis.Quality = context.Quality;
            if (analysis.Suggestion is not null && analysis.Quality is { Passed: false })
            {
                analysis.Suggestion.State = SuggestionState.Flagged;
            }
        }
        else
        {
            analysis.Suggestion = previous?.Suggestion;
            analysis.Quality = previous?.Quality;
        }

        var versions = new[] { context.Triage?.ModelVersion, context.ResolutionModel }.Where(v => v is not null);
        analysis.ModelVersion = string.Join("; ", versions);
        return analysis;
    }

    private static bool Succeeded(WorkflowContext context, string step) =>
        context.Run.Steps.FirstOrDefault(s => s.Name == step)?.Status == StepStatus.Succeeded;
}
