using AspireTickets.Domain.Locking;
using AspireTickets.Infrastructure.Caching;
using AspireTickets.Infrastructure.Locking;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace AspireTickets.Tests.Operations;

public sealed class TicketsCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IHost Build(string? redis)
    {
        var builder = Host.CreateApplicationBuilder();
        if (redis is not null)
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:cache"] = redis });
        }
        builder.AddTicketsCache();
        return builder.Build();
    }

    private static ValueTask<string> Get(IHost host, string key, string value) =>
        host.Services.GetRequiredService<TicketsCache>().GetOrCreateAsync("tests", key, _ => ValueTask.FromResult(value), TimeSpan.FromMinutes(1), Ct);

    [Fact]
    public async Task In_memory_without_a_connection_string_counting_hits_and_misses()
    {
        using var host = Build(null);
        Assert.IsType<InProcessDistributedLock>(host.Services.GetRequiredService<IDistributedLock>());
        Assert.Null(host.Services.GetService<IConnectionMultiplexer>());

        Assert.Equal("first", await Get(host, "k", "first"));
        Assert.Equal("first", await Get(host, "k", "second"));
        Assert.Equal(0.5, host.Services.GetRequiredService<OperationsMetrics>().HitRatio);

        await host.Services.GetRequiredService<TicketsCache>().RemoveAsync("tests", "k", Ct);
        Assert.Equal("third", await Get(host, "k", "third"));

        // Replicas without Redis do not share entries.
        using var other = Build(null);
        Assert.Equal("other", await Get(other, "k", "other"));
    }

    [Fact]
    public async Task With_redis_replicas_share_entries_through_the_second_level()
    {
        RedisTestServer.SkipWhenMissing(RedisTestServer.Address);
        using var a = Build(RedisTestServer.Address);
        using var b = Build(RedisTestServer.Address);
        Assert.IsType<RedisDistributedLock>(a.Services.GetRequiredService<IDistributedLock>());

        var key = Guid.NewGuid().ToString("n");
        Assert.Equal("from-a", await Get(a, key, "from-a"));

        // HybridCache writes the second level after handing out the value; wait until the entry is in Redis.
        var redis = a.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var redisKey = $"aspiretickets:cache:tests:{key}";
        for (var i = 0; i < 100 && !await redis.KeyExistsAsync(redisKey); i++)
        {
            await Task.Delay(20, Ct);
        }
        Assert.True(await redis.KeyExistsAsync(redisKey));
        Assert.True(await redis.KeyTimeToLiveAsync(redisKey) <= TimeSpan.FromMinutes(1));

        Assert.Equal("from-a", await Get(b, key, "from-b"));
        Assert.Equal(1.0, b.Services.GetRequiredService<OperationsMetrics>().HitRatio);

        // A removal on one replica reaches Redis, so a replica without a local copy computes the value again.
        await a.Services.GetRequiredService<TicketsCache>().RemoveAsync("tests", key, Ct);
        Assert.False(await redis.KeyExistsAsync(redisKey));
        using var c = Build(RedisTestServer.Address);
        Assert.Equal("from-c", await Get(c, key, "from-c"));

        var health = await a.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == CacheExtensions.HealthCheckName, Ct);
        Assert.Equal(HealthStatus.Healthy, health.Status);
    }

    [Fact]
    public async Task The_health_check_reports_an_unreachable_redis()
    {
        // A loopback port nobody listens on: the connection is made in the background and never succeeds.
        using var host = Build("127.0.0.1:1,connectTimeout=200,syncTimeout=300,asyncTimeout=300");
        var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == CacheExtensions.HealthCheckName, Ct);
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
    }
}
