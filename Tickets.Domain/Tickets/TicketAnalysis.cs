namespace AspireTickets.Domain.Tickets;

/// <summary>What the agent workflow concluded about a ticket; people approve, edit or reject the suggestion.</summary>
public sealed class TicketAnalysis
{
    public string? Category { get; set; }
    public TicketPriority? Priority { get; set; }
    public double Confidence { get; set; }
    public string? Rationale { get; set; }
    public TimeSpan? EstimatedTimeToResolve { get; set; }
    public List<DuplicateCandidate> DuplicateCandidates { get; set; } = [];
    public SuggestedResolution? Suggestion { get; set; }
    public QualityVerdict? Quality { get; set; }
    public string? ModelVersion { get; set; }
    public DateTimeOffset AnalyzedAt { get; set; }
}

public sealed record DuplicateCandidate(Guid TicketId, string Title, double Score);

public sealed class SuggestedResolution
{
    public string Text { get; set; } = "";
    public List<Citation> Citations { get; set; } = [];
    public SuggestionState State { get; set; } = SuggestionState.Proposed;
    public string? ReviewedBy { get; set; }
    public DateTimeOffset? ReviewedAt { get; set; }
}

public enum SuggestionState
{
    Proposed,
    Approved,
    Edited,
    Rejected,

    /// <summary>Failed the quality check: kept as a draft for a person to fix, never presented as ready.</summary>
    Flagged,
}

/// <summary>A source a suggestion is grounded in: a resolved ticket or a knowledge-base article section.</summary>
public sealed record Citation(CitationKind Kind, string SourceId, string? Section, string Excerpt);

public enum CitationKind
{
    Ticket,
    Article,
}

public sealed class QualityVerdict
{
    public bool Passed { get; set; }
    public double Score { get; set; }
    public List<string> Reasons { get; set; } = [];
}

public sealed class TextInsights
{
    public string? Language { get; set; }
    public double Sentiment { get; set; }
    public string? SentimentLabel { get; set; }
    public List<string> Keywords { get; set; } = [];
    public List<TextEntity> Entities { get; set; } = [];

    /// <summary>The ticket text with PII masked: what events, logs and language models see.</summary>
    public string? MaskedText { get; set; }
}

public sealed record TextEntity(string Kind, string Value);
