namespace AspireTickets.Domain.Locking;

/// <summary>
/// A named lease held by one owner at a time, across replicas. A lease expires unless renewed, so a crashed
/// holder cannot block the others for longer than the expiry; only the owner (by its token) can renew or
/// release it, so a holder whose lease ran out cannot free a lease someone else acquired since.
/// Adapters: in-process (embedded) and Redis (<c>ConnectionStrings:cache</c>); both pass the same conformance suite.
/// </summary>
public interface IDistributedLock
{
    /// <summary>Acquires the lease when nobody holds it; null when someone does.</summary>
    Task<LockLease?> TryAcquireAsync(string name, TimeSpan expiry, CancellationToken cancellationToken = default);

    /// <summary>Extends the lease to <paramref name="expiry"/> from now; false when it was lost (expired or taken).</summary>
    Task<bool> RenewAsync(LockLease lease, TimeSpan expiry, CancellationToken cancellationToken = default);

    /// <summary>Releases the lease if still held by its owner; false when it had already been lost.</summary>
    Task<bool> ReleaseAsync(LockLease lease, CancellationToken cancellationToken = default);
}

/// <summary>A held lease: the lock's name and the owner's random token.</summary>
public sealed record LockLease(string Name, string Token)
{
    public static LockLease New(string name) => new(name, Guid.NewGuid().ToString("N"));
}
