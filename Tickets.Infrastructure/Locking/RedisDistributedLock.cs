using AspireTickets.Domain.Locking;
using StackExchange.Redis;

namespace AspireTickets.Infrastructure.Locking;

/// <summary>
/// The distributed run's lock on Redis: a key set with NX and a PX expiry holds the owner's token; renew and
/// release are Lua scripts that compare the token first, so they are atomic and only ever touch the owner's
/// lease (the single-instance Redlock pattern).
/// </summary>
public sealed class RedisDistributedLock(IConnectionMultiplexer redis, string keyPrefix = RedisDistributedLock.DefaultKeyPrefix) : IDistributedLock
{
    public const string DefaultKeyPrefix = "aspiretickets:lock:";

    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
            return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    private const string RenewScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
            return redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        return 0
        """;

    public async Task<LockLease?> TryAcquireAsync(string name, TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(expiry, TimeSpan.Zero);
        var lease = LockLease.New(name);
        var acquired = await redis.GetDatabase().StringSetAsync(Key(name), lease.Token, expiry, When.NotExists);
        return acquired ? lease : null;
    }

    public async Task<bool> RenewAsync(LockLease lease, TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(expiry, TimeSpan.Zero);
        var result = await redis.GetDatabase().ScriptEvaluateAsync(
            RenewScript, [Key(lease.Name)], [lease.Token, (long)Math.Ceiling(expiry.TotalMilliseconds)]);
        return (long)result == 1;
    }

    public async Task<bool> ReleaseAsync(LockLease lease, CancellationToken cancellationToken = default)
    {
        var result = await redis.GetDatabase().ScriptEvaluateAsync(ReleaseScript, [Key(lease.Name)], [lease.Token]);
        return (long)result == 1;
    }

    private RedisKey Key(string name) => keyPrefix + name;
}
