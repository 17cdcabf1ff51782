namespace AspireTickets.Agents.Models;

/// <summary>What became of a trained triage model.</summary>
public enum TriageModelDecision
{
    /// <summary>Scored better than the model in use on held-out history, so it replaced it.</summary>
    Promoted,

    /// <summary>Did not score better on held-out history; kept on record only.</summary>
    Rejected,
}

/// <summary>Macro-F1 of one model on the held-out history (null where the model has no classifier for it).</summary>
public sealed record TriageScores(double? CategoryMacroF1, double? PriorityMacroF1)
{
    /// <summary>The figure models are compared by: the mean of the two, a missing one counting as 0.</summary>
    public double Combined => ((CategoryMacroF1 ?? 0) + (PriorityMacroF1 ?? 0)) / 2;
}

/// <summary>
/// One trained triage model on record: when and from how much history it was trained, how it and the model then
/// in use scored on the same held-out tickets, and what was decided. Promoted versions keep their model bytes
/// (<see cref="TriageModelRegistry"/>) so they can be rolled back to or tried beside another one. <see cref="Encoder"/>
/// names the sentence encoder the model reads (null: n-grams only; records from before encoders have none).
/// </summary>
public sealed record TriageModelVersion(
    string Version,
    DateTimeOffset TrainedAt,
    int TrainingExamples,
    int HeldOutExamples,
    TriageScores Scores,
    string BaselineVersion,
    TriageScores BaselineScores,
    TriageModelDecision Decision,
    string Reason,
    bool HasModel,
    string? Encoder = null);

/// <summary>
/// Which versions triage uses: <see cref="Active"/> for every ticket, except that a share of tickets (chosen by a
/// stable hash of the ticket id, so a ticket always gets the same one) goes to <see cref="Candidate"/> in an A/B split.
/// </summary>
public sealed record TriageRollout(string Active, string? Candidate, double CandidateShare, DateTimeOffset ChangedAt, string ChangedBy)
{
    public static readonly TriageRollout Rules = new(TriageModelRegistry.RulesVersion, null, 0, DateTimeOffset.MinValue, "system");
}
