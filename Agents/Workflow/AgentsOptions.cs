using AspireTickets.Agents.Intelligence.Text;

namespace AspireTickets.Agents.Workflow;

/// <summary>The agents' settings (section <c>Agents</c>); services have no appsettings, so the defaults live here.</summary>
public sealed class AgentsOptions
{
    public const string SectionName = "Agents";

    public WorkflowOptions Workflow { get; set; } = new();
    public DuplicateOptions Duplicates { get; set; } = new();
    public TriageTrainingOptions Triage { get; set; } = new();
    public ResolutionOptions Resolution { get; set; } = new();
    public QualityOptions Quality { get; set; } = new();
    public SimilarityOptions Similarity { get; set; } = new();
}

public sealed class SimilarityOptions
{
    /// <summary>
    /// Per search, the best lexical candidates that are also scored by embedding once the index holds more tickets
    /// than this; 0 scores every ticket (exact, but the cost grows with the index).
    /// </summary>
    public int CandidatePool { get; set; } = 200;
}

public sealed class WorkflowOptions
{
    /// <summary>Attempts per step before it counts as failed (transient errors such as a busy store are retried).</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Delay before the second attempt; doubled for each further one.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Workflow runs requested through the API that execute at the same time.</summary>
    public int Concurrency { get; set; } = 2;

    /// <summary>Subscribe to the event log (ticket.created/updated/archived). Off only for tools that drive the workflow themselves.</summary>
    public bool ConsumeEvents { get; set; } = true;
}

public sealed class DuplicateOptions
{
    /// <summary>Fused score from which a ticket is linked to its original.</summary>
    public double Threshold { get; set; } = 0.9;

    /// <summary>Also close a linked duplicate (status Duplicate) with a comment pointing to the original.</summary>
    public bool AutoClose { get; set; }

    /// <summary>Candidates stored with the analysis.</summary>
    public int Candidates { get; set; } = 5;

    /// <summary>
    /// Candidates below this score are not worth showing. The score is a calibrated duplicate probability, so a clearly
    /// related ticket that is not the same problem scores only a few percent; it still belongs in "similar tickets".
    /// </summary>
    public double MinScore { get; set; } = 0.01;
}

public sealed class TriageTrainingOptions
{
    /// <summary>A model is trained when at least two labels each have this many resolved/closed examples.</summary>
    public int MinimumExamplesPerLabel { get; set; } = 20;

    public TimeSpan RetrainInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>At most this many most recent resolved/closed tickets are learned from.</summary>
    public int MaxTrainingTickets { get; set; } = 20_000;

    /// <summary>The newest share of that history a retrained model is judged on (and not trained on) before promotion.</summary>
    public double HeldOutShare { get; set; } = 0.2;

    /// <summary>How much higher (mean of category and priority macro-F1) a retrained model must score to replace the active one.</summary>
    public double MinimumImprovement { get; set; }

    /// <summary>
    /// The sentence encoder whose vectors trained models read beside the n-grams (read at start). MiniLM is the more
    /// accurate triage (NLBSE'24 mean macro-F1 0.803 against 0.789) but reads every ticket triaged and every ticket of
    /// history a retrain learns from through the encoder (the agents benchmark: triage p50 23 ms against 1 ms without). Models trained with an
    /// encoder cannot be used without it: after a change, the keyword rules answer until the next retrain.
    /// </summary>
    public TextEncoderKind Encoder { get; set; } = TextEncoderKind.MiniLM;
}

public sealed class ResolutionOptions
{
    /// <summary>Similar resolved tickets and knowledge-base sections passages are drawn from.</summary>
    public int Sources { get; set; } = 5;

    /// <summary>Passages in a suggestion.</summary>
    public int Passages { get; set; } = 4;

    /// <summary>Sources less similar than this are not used.</summary>
    public double MinSourceSimilarity { get; set; } = 0.15;
}

public sealed class QualityOptions
{
    /// <summary>
    /// Cosine similarity (local hashed embedding) between ticket and suggestion below which the suggestion is judged
    /// off-topic. Unrelated texts score about 0 ± 0.03 with that embedding (hash-collision noise), so the floor sits
    /// just above the noise: it catches suggestions about something else, not weak paraphrases.
    /// </summary>
    public double RelevanceFloor { get; set; } = 0.05;
}
