namespace AspireTickets.Agents.Workflow;

public sealed record StepHealth(string Step, int Runs, int Succeeded, int Failed, double SuccessRate, double P50Ms, double P95Ms, string? LastError, DateTimeOffset? LastErrorAt);

public sealed record AgentsHealth(int RunsConsidered, IReadOnlyList<StepHealth> Steps, string TriageModel, int IndexedTickets, int IndexedArticleSections, bool Ready);

/// <summary>Per-step health over the most recent runs in the store, so every replica reports the same figures.</summary>
public static class WorkflowHealth
{
    public const int RecentRuns = 500;

    public static IReadOnlyList<StepHealth> Compute(IReadOnlyList<WorkflowRun> runs) =>
        [.. WorkflowSteps.All.Select(name =>
        {
            var steps = runs
                .SelectMany(r => r.Steps.Where(s => s.Name == name).Select(s => (Run: r, Step: s)))
                .Where(x => x.Step.Status is StepStatus.Succeeded or StepStatus.Failed)
                .ToList();
            var durations = steps.Select(x => x.Step.DurationMs).Order().ToArray();
            var failed = steps.Where(x => x.Step.Status == StepStatus.Failed).ToList();
            // Runs arrive newest first: the first failure is the latest.
            var lastError = failed.FirstOrDefault();
            var succeeded = steps.Count - failed.Count;
            return new StepHealth(
                name,
                steps.Count,
                succeeded,
                failed.Count,
                steps.Count == 0 ? 0 : Math.Round((double)succeeded / steps.Count, 4),
                Percentile(durations, 0.50),
                Percentile(durations, 0.95),
                lastError.Step?.Error,
                lastError.Step?.EndedAt);
        })];

    /// <summary>Nearest-rank percentile of sorted values (0 when empty).</summary>
    public static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return Math.Round(sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)], 3);
    }
}
