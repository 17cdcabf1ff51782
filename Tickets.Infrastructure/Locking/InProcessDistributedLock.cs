using AspireTickets.Domain.Locking;

namespace AspireTickets.Infrastructure.Locking;

/// <summary>The embedded run's lock: one process, so a dictionary of leases with expiry on the product's clock.</summary>
public sealed class InProcessDistributedLock(TimeProvider time) : IDistributedLock
{
    private readonly Dictionary<string, (string Token, DateTimeOffset ExpiresAt)> _leases = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public Task<LockLease?> TryAcquireAsync(string name, TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(expiry, TimeSpan.Zero);
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_leases.TryGetValue(name, out var held) && held.ExpiresAt > now)
            {
                return Task.FromResult<LockLease?>(null);
            }
            var lease = LockLease.New(name);
            _leases[name] = (lease.Token, now + expiry);
            return Task.FromResult<LockLease?>(lease);
        }
    }

    public Task<bool> RenewAsync(LockLease lease, TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(expiry, TimeSpan.Zero);
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (!IsHeldBy(lease, now))
            {
                return Task.FromResult(false);
            }
            _leases[lease.Name] = (lease.Token, now + expiry);
            return Task.FromResult(true);
        }
    }

    public Task<bool> ReleaseAsync(LockLease lease, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!IsHeldBy(lease, time.GetUtcNow()))
            {
                return Task.FromResult(false);
            }
            _leases.Remove(lease.Name);
            return Task.FromResult(true);
        }
    }

    private bool IsHeldBy(LockLease lease, DateTimeOffset now) =>
        _leases.TryGetValue(lease.Name, out var held) && held.Token == lease.Token && held.ExpiresAt > now;
}
