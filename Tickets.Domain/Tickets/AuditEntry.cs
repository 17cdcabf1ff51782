namespace AspireTickets.Domain.Tickets;

/// <summary>One changed field of one ticket: who, what, old → new, when and why.</summary>
public sealed record AuditEntry
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TicketId { get; init; }
    public DateTimeOffset At { get; init; }
    public string Actor { get; init; } = "";
    public string Field { get; init; } = "";
    public string? OldValue { get; init; }
    public string? NewValue { get; init; }
    public string? Reason { get; init; }
}
