namespace AspireTickets.Infrastructure.Storage;

/// <summary>
/// What the host does with a store besides using it: create its schema and indexes at start (idempotent) and
/// probe it for the "tickets-store" health check.
/// </summary>
public interface ITicketStoreSchema
{
    /// <summary>Creates tables/collections and indexes that do not exist yet; safe to call any number of times.</summary>
    Task EnsureCreatedAsync(CancellationToken cancellationToken = default);

    /// <summary>Throws when the store cannot be reached.</summary>
    Task PingAsync(CancellationToken cancellationToken = default);
}
