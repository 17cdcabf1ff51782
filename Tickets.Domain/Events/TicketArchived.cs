namespace AspireTickets.Domain.Events;

/// <summary><c>ticket.archived</c>: the ticket left the queue (a DELETE archives; restoring is a <see cref="TicketUpdated"/>).</summary>
public sealed record TicketArchived(IReadOnlyList<string> ChangedFields) : ITicketEventData, IChangesFields
{
    public static string EventType => TicketEventTypes.Archived;
}
