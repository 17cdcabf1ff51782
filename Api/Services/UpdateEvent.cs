using AspireTickets.Domain.Events;

namespace AspireTickets.Api.Services;

/// <summary>How a ticket update is announced on the event log: which event, built from the fields it changed.</summary>
public delegate TicketEvent UpdateEvent(Guid ticketId, DateTimeOffset now, IReadOnlyList<string> changedFields);

/// <summary>The events an Api update can be announced as.</summary>
public static class UpdateEvents
{
    public static readonly UpdateEvent Updated = (id, now, fields) => TicketEvent.Create(id, now, new TicketUpdated(fields));

    public static readonly UpdateEvent Archived = (id, now, fields) => TicketEvent.Create(id, now, new TicketArchived(fields));

    public static readonly UpdateEvent Feedback = (id, now, fields) => TicketEvent.Create(id, now, new TicketFeedbackGiven(fields));
}
