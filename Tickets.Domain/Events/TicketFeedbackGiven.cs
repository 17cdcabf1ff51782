namespace AspireTickets.Domain.Events;

/// <summary><c>ticket.feedback</c>: a person reviewed the agents' suggestion (approved, edited or rejected it).</summary>
public sealed record TicketFeedbackGiven(IReadOnlyList<string> ChangedFields) : ITicketEventData, IChangesFields
{
    public static string EventType => TicketEventTypes.Feedback;
}
