using System.Globalization;
using AspireTickets.Agents.Models;
using AspireTickets.Agents.Quality;
using AspireTickets.Agents.Resolution;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Agents.Workflow;

/// <summary>Triage with the trained classifier (or keyword rules) and time to resolve from similar resolved tickets.</summary>
public sealed class LocalTriageAgent(TriageModelHost models) : ITriageAgent
{
    /// <summary>How many similar resolved tickets the time-to-resolve estimate is drawn from.</summary>
    public const int EstimateNeighbours = 5;

    public Task<TriageOutcome> TriageAsync(WorkflowContext context, CancellationToken ct)
    {
        var (model, version) = models.For(context.Ticket.Id);
        var verdict = model.Triage(context.Ticket.Title, context.Ticket.Description);
        var estimate = EstimateTimeToResolve(context);
        var confidence = verdict.Category is null ? verdict.PriorityConfidence : verdict.CategoryConfidence;
        var rationale = estimate is { } e
            ? $"{verdict.Rationale}; time to resolve: weighted median of {e.Count} similar resolved tickets"
            : verdict.Rationale;
        return Task.FromResult(new TriageOutcome(verdict.Category, verdict.Priority, Math.Round(confidence, 3), rationale, estimate?.Value, version));
    }

    /// <summary>Weighted median (weights = similarity) of how long the most similar resolved tickets took.</summary>
    public static (TimeSpan Value, int Count)? EstimateTimeToResolve(WorkflowContext context)
    {
        var samples = context.Similar
            .Where(s => s.Entry.TimeToResolve is not null && s.Entry.Status is TicketStatus.Resolved or TicketStatus.Closed)
            .Take(EstimateNeighbours)
            .Select(s => (Duration: s.Entry.TimeToResolve!.Value, Weight: Math.Max(s.Score, 1e-6)))
            .OrderBy(s => s.Duration)
            .ToList();
        if (samples.Count == 0)
        {
            return null;
        }
        var half = samples.Sum(s => s.Weight) / 2;
        var cumulative = 0.0;
        foreach (var (duration, weight) in samples)
        {
            cumulative += weight;
            if (cumulative >= half)
            {
                return (TimeSpan.FromMinutes(Math.Round(duration.TotalMinutes)), samples.Count);
            }
        }
        return (samples[^1].Duration, samples.Count);
    }
}

public sealed class LocalResolutionAgent(ExtractiveResolver resolver) : IResolutionAgent
{
    public const string ModelVersion = "extractive-v1";

    public Task<SuggestedResolution?> SuggestAsync(WorkflowContext context, CancellationToken ct)
    {
        var result = resolver.Suggest(context.Ticket, context.Similar);
        context.ResolutionModel = ModelVersion;
        return Task.FromResult(result.Suggestion);
    }
}

public sealed class LocalQualityAgent(SuggestionQualityChecker checker, ExtractiveResolver resolver) : IQualityAgent
{
    public Task<QualityVerdict> CheckAsync(WorkflowContext context, SuggestedResolution suggestion, CancellationToken ct) =>
        Task.FromResult(checker.Check(suggestion, resolver.Relevance(context.Ticket, suggestion.Text)));
}

internal static class Format
{
    public static string Score(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
