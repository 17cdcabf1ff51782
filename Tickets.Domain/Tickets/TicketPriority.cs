namespace AspireTickets.Domain.Tickets;

// Ordered by urgency so that sorting and "raise one step" work on the numeric value.
public enum TicketPriority
{
    Low = 0,
    Medium = 1,
    High = 2,
    Critical = 3,
}
