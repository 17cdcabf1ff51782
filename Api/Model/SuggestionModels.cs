using AspireTickets.Domain.Tickets;

namespace AspireTickets.Api.Model;

/// <summary>Approve: the suggestion as it is. With <see cref="PostAsReply"/> it is also sent as a public comment.</summary>
public sealed record ApproveSuggestionRequest(bool PostAsReply = true);

public sealed record EditSuggestionRequest(string? Text, bool PostAsReply = true);

public sealed record RejectSuggestionRequest(string? Reason);

/// <summary>
/// A person's verdict on a suggestion, kept in the document collection <c>feedback</c> (grouped by ticket) for the
/// learning loop: what the model proposed, what the person made of it, and why.
/// </summary>
public sealed record SuggestionFeedback(
    Guid Id,
    Guid TicketId,
    string Kind,
    SuggestionState Verdict,
    string Actor,
    DateTimeOffset At,
    string ProposedText,
    string? FinalText,
    string? Reason,
    string? ModelVersion,
    IReadOnlyList<Citation> Citations)
{
    public const string CollectionName = "feedback";
    public const string SuggestionKind = "suggestion";
}
