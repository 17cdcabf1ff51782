using AspireTickets.Domain.Locking;

namespace AspireTickets.Tests.Operations;

/// <summary>What every <see cref="IDistributedLock"/> adapter must do; run against each adapter.</summary>
public abstract class DistributedLockConformance
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract IDistributedLock Lock { get; }

    /// <summary>A lease time the adapter can wait out in a test.</summary>
    protected abstract TimeSpan Expiry { get; }

    /// <summary>Lets <paramref name="duration"/> pass on the adapter's clock.</summary>
    protected abstract Task PassAsync(TimeSpan duration);

    private static string Name() => "lock-" + Guid.NewGuid().ToString("n")[..8];

    [Fact]
    public async Task Only_one_owner_holds_a_lease_and_other_names_are_independent()
    {
        var name = Name();
        var first = await Lock.TryAcquireAsync(name, Expiry, Ct);
        Assert.NotNull(first);
        Assert.Null(await Lock.TryAcquireAsync(name, Expiry, Ct));
        Assert.NotNull(await Lock.TryAcquireAsync(Name(), Expiry, Ct));
    }

    [Fact]
    public async Task Release_by_the_owner_frees_the_lease_once()
    {
        var name = Name();
        var lease = (await Lock.TryAcquireAsync(name, Expiry, Ct))!;
        Assert.True(await Lock.ReleaseAsync(lease, Ct));
        Assert.False(await Lock.ReleaseAsync(lease, Ct));
        Assert.NotNull(await Lock.TryAcquireAsync(name, Expiry, Ct));
    }

    [Fact]
    public async Task Only_the_owner_token_can_release_or_renew()
    {
        var name = Name();
        var lease = (await Lock.TryAcquireAsync(name, Expiry, Ct))!;
        var impostor = lease with { Token = Guid.NewGuid().ToString("N") };
        Assert.False(await Lock.ReleaseAsync(impostor, Ct));
        Assert.False(await Lock.RenewAsync(impostor, Expiry, Ct));
        Assert.Null(await Lock.TryAcquireAsync(name, Expiry, Ct));
        Assert.True(await Lock.ReleaseAsync(lease, Ct));
    }

    [Fact]
    public async Task An_expired_lease_can_be_taken_and_the_old_owner_cannot_touch_the_new_one()
    {
        var name = Name();
        var old = (await Lock.TryAcquireAsync(name, Expiry, Ct))!;
        await PassAsync(Expiry * 1.5);
        var current = await Lock.TryAcquireAsync(name, Expiry * 10, Ct);
        Assert.NotNull(current);
        Assert.False(await Lock.RenewAsync(old, Expiry, Ct));
        Assert.False(await Lock.ReleaseAsync(old, Ct));
        Assert.Null(await Lock.TryAcquireAsync(name, Expiry, Ct));
        Assert.True(await Lock.ReleaseAsync(current!, Ct));
    }

    [Fact]
    public async Task Renewing_keeps_the_lease_past_its_first_expiry()
    {
        var name = Name();
        var lease = (await Lock.TryAcquireAsync(name, Expiry, Ct))!;
        await PassAsync(Expiry * 0.6);
        Assert.True(await Lock.RenewAsync(lease, Expiry, Ct));
        await PassAsync(Expiry * 0.6);
        // 1.2 expiries after acquiring: held only because of the renewal.
        Assert.Null(await Lock.TryAcquireAsync(name, Expiry, Ct));
        Assert.True(await Lock.ReleaseAsync(lease, Ct));
    }

    [Fact]
    public async Task Concurrent_acquirers_get_exactly_one_lease()
    {
        var name = Name();
        var leases = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => Lock.TryAcquireAsync(name, Expiry * 10, Ct), Ct)));
        Assert.Single(leases, l => l is not null);
    }
}
