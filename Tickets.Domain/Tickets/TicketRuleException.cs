namespace AspireTickets.Domain.Tickets;

/// <summary>A change that breaks a domain rule (a forbidden transition, a category outside the taxonomy). Reported as a 400/409 with the field.</summary>
public sealed class TicketRuleException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
