using AspireTickets.Domain.Tickets;

namespace AspireTickets.Agents.Workflow;

/// <summary>Decides category, priority and time to resolve. Local models by default, a language model when configured.</summary>
public interface ITriageAgent
{
    Task<TriageOutcome> TriageAsync(WorkflowContext context, CancellationToken ct);
}

/// <summary>Suggests a resolution grounded in cited sources; null when nothing similar is known.</summary>
public interface IResolutionAgent
{
    Task<SuggestedResolution?> SuggestAsync(WorkflowContext context, CancellationToken ct);
}

/// <summary>Judges a suggestion before anyone sees it.</summary>
public interface IQualityAgent
{
    Task<QualityVerdict> CheckAsync(WorkflowContext context, SuggestedResolution suggestion, CancellationToken ct);
}
