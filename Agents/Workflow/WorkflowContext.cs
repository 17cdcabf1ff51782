using AspireTickets.Agents.Similarity;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Agents.Workflow;

/// <summary>What the steps of one run know and found; the update step persists it.</summary>
public sealed class WorkflowContext(Ticket ticket, WorkflowRun run, TicketSimilarityIndex index)
{
    private IReadOnlyList<SimilarEntry<IndexedTicket>>? _similar;

    public Ticket Ticket { get; } = ticket;
    public WorkflowRun Run { get; } = run;

    public TriageOutcome? Triage { get; set; }
    public IReadOnlyList<DuplicateCandidate>? Duplicates { get; set; }

    /// <summary>The original this ticket duplicates, when the best candidate scored above the threshold.</summary>
    public Guid? DuplicateOf { get; set; }
    public SuggestedResolution? Suggestion { get; set; }
    public QualityVerdict? Quality { get; set; }
    public string? ResolutionModel { get; set; }

    /// <summary>The ticket as the update step stored it (null until then): what the similarity index is refreshed from.</summary>
    public Ticket? Saved { get; set; }

    /// <summary>Set when a step used a fallback (an invalid language-model answer…); recorded in the audit trail.</summary>
    public List<string> Notes => Run.Notes;

    /// <summary>The nearest other tickets, searched once per run and shared by triage (time to resolve), duplicates and resolution.</summary>
    public IReadOnlyList<SimilarEntry<IndexedTicket>> Similar =>
        _similar ??= index.FindSimilar(Ticket.Title, Ticket.Description, SimilarCount, exclude: Ticket.Id);

    public const int SimilarCount = 50;
}

/// <summary>Triage's conclusion. Category is always a taxonomy value (or null).</summary>
public sealed record TriageOutcome(
    string? Category,
    TicketPriority? Priority,
    double Confidence,
    string Rationale,
    TimeSpan? EstimatedTimeToResolve,
    string ModelVersion);
