namespace AspireTickets.Web.Services;

/// <summary>The agents' triage models (<c>GET /api/agents/models</c>).</summary>
public sealed class TriageModelsView
{
    public TriageRolloutView Rollout { get; set; } = new();
    public List<TriageModelVersionView> Versions { get; set; } = [];
}

public sealed class TriageRolloutView
{
    public string Active { get; set; } = "rules";
    public string? Candidate { get; set; }
    public double CandidateShare { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
    public string? ChangedBy { get; set; }
}

public sealed class TriageModelVersionView
{
    public string Version { get; set; } = "";
    public DateTimeOffset TrainedAt { get; set; }
    public int TrainingExamples { get; set; }
    public int HeldOutExamples { get; set; }
    public TriageScoresView Scores { get; set; } = new();
    public string? BaselineVersion { get; set; }
    public TriageScoresView BaselineScores { get; set; } = new();
    public string? Decision { get; set; }
    public string? Reason { get; set; }
    public bool HasModel { get; set; }
    public string? Encoder { get; set; }
}

public sealed class TriageScoresView
{
    public double? CategoryMacroF1 { get; set; }
    public double? PriorityMacroF1 { get; set; }

    public double Combined => ((CategoryMacroF1 ?? 0) + (PriorityMacroF1 ?? 0)) / 2;
}
