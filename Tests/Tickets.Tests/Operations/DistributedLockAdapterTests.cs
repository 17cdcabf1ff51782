using AspireTickets.Domain.Locking;
using AspireTickets.Infrastructure.Locking;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace AspireTickets.Tests.Operations;

public sealed class InProcessDistributedLockTests : DistributedLockConformance
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly InProcessDistributedLock _lock;

    public InProcessDistributedLockTests() => _lock = new InProcessDistributedLock(_time);

    protected override IDistributedLock Lock => _lock;
    protected override TimeSpan Expiry => TimeSpan.FromMinutes(5);

    protected override Task PassAsync(TimeSpan duration)
    {
        _time.Advance(duration);
        return Task.CompletedTask;
    }
}

/// <summary>Runs against the Redis at <c>TICKETS_TEST_REDIS</c> (CI starts one); skipped, with the reason, without it.</summary>
public sealed class RedisDistributedLockTests : DistributedLockConformance, IDisposable
{
    private readonly ConnectionMultiplexer? _redis = RedisTestServer.Connect();
    private readonly string _prefix = $"aspiretickets-test:{Guid.NewGuid():n}:";

    protected override IDistributedLock Lock
    {
        get
        {
            RedisTestServer.SkipWhenMissing(_redis);
            return new RedisDistributedLock(_redis!, _prefix);
        }
    }

    // Real time passes on a server: long enough to be far above network latency, short enough for a quick suite.
    protected override TimeSpan Expiry => TimeSpan.FromMilliseconds(800);

    protected override Task PassAsync(TimeSpan duration) => Task.Delay(duration, Ct);

    [Fact]
    public async Task The_lease_is_a_key_with_the_token_and_an_expiry()
    {
        var lease = (await Lock.TryAcquireAsync("inspect", TimeSpan.FromSeconds(30), Ct))!;
        var db = _redis!.GetDatabase();
        Assert.Equal(lease.Token, (string?)await db.StringGetAsync(_prefix + "inspect"));
        var ttl = await db.KeyTimeToLiveAsync(_prefix + "inspect");
        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(30));
        Assert.True(await Lock.ReleaseAsync(lease, Ct));
        Assert.False(await db.KeyExistsAsync(_prefix + "inspect"));
    }

    public void Dispose() => _redis?.Dispose();
}

internal static class RedisTestServer
{
    public static string? Address => Environment.GetEnvironmentVariable("TICKETS_TEST_REDIS");

    public static ConnectionMultiplexer? Connect() =>
        string.IsNullOrWhiteSpace(Address) ? null : ConnectionMultiplexer.Connect(Address);

    public static void SkipWhenMissing(object? connection) =>
        Assert.SkipWhen(connection is null, "skipped: no Redis at TICKETS_TEST_REDIS");
}
