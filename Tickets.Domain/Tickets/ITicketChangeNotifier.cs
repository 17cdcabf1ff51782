namespace AspireTickets.Domain.Tickets;

/// <summary>
/// Told after a ticket write has been stored, so that screens showing the ticket can refresh (the Api pushes it
/// to the Web over SignalR). A notifier must not throw: a failed notification never fails the write.
/// </summary>
public interface ITicketChangeNotifier
{
    Task TicketChangedAsync(TicketChange change, CancellationToken cancellationToken = default);
}

/// <summary>What changed: <see cref="Kind"/> is <c>created</c>, <c>updated</c> or <c>archived</c>.</summary>
public sealed record TicketChange(Guid TicketId, string Kind, long Version, DateTimeOffset At, IReadOnlyList<string> Fields)
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Archived = "archived";
}
