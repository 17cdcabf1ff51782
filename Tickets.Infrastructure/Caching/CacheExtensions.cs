using AspireTickets.Domain;
using AspireTickets.Domain.Locking;
using AspireTickets.Infrastructure.Locking;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace AspireTickets.Infrastructure.Caching;

public static class CacheExtensions
{
    public const string HealthCheckName = "cache";

    /// <summary>
    /// Registers the cache and the lock. With <c>ConnectionStrings:cache</c>: one shared
    /// <see cref="IConnectionMultiplexer"/> (connecting in the background like Aspire's Redis client, so a Redis that
    /// is not up yet delays nothing but the first use) with a "cache" health check, Redis as HybridCache's second
    /// level and the Redis lock. Without it: HybridCache in memory and the in-process lock.
    /// Safe to call from every module; only the first call registers.
    /// </summary>
    public static IHostApplicationBuilder AddTicketsCache(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(TicketsCache)))
        {
            return builder;
        }
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OperationsMetrics>();
        services.AddHybridCache(options =>
        {
            options.DefaultEntryOptions = new() { Expiration = TimeSpan.FromMinutes(5), LocalCacheExpiration = TicketsCache.DefaultLocalExpiration };
        });
        services.AddSingleton<TicketsCache>();

        var connectionString = builder.Configuration.GetConnectionString(ConnectionNames.Cache);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            services.TryAddSingleton<IDistributedLock, InProcessDistributedLock>();
            return builder;
        }

        services.TryAddSingleton<IConnectionMultiplexer>(_ => Connect(connectionString));
        services.AddStackExchangeRedisCache(_ => { });
        services.AddOptions<RedisCacheOptions>().Configure<IServiceProvider>((options, sp) =>
        {
            options.InstanceName = "aspiretickets:cache:";
            options.ConnectionMultiplexerFactory = () => Task.FromResult(sp.GetRequiredService<IConnectionMultiplexer>());
        });
        services.TryAddSingleton<IDistributedLock>(sp => new RedisDistributedLock(sp.GetRequiredService<IConnectionMultiplexer>()));
        services.AddHealthChecks().AddCheck<RedisHealthCheck>(HealthCheckName, tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// With <c>ConnectionStrings:cache</c>, makes SignalR fan hub messages out through Redis so that a client
    /// connected to one replica sees updates made on another; without it SignalR stays in-process.
    /// Call on the hub registration: <c>services.AddSignalR().AddTicketsRedis(configuration)</c>.
    /// </summary>
    public static ISignalRServerBuilder AddTicketsRedis(this ISignalRServerBuilder signalR, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionNames.Cache);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return signalR;
        }
        signalR.Services.TryAddSingleton<IConnectionMultiplexer>(_ => Connect(connectionString));
        signalR.AddStackExchangeRedis(options => options.Configuration.ChannelPrefix = RedisChannel.Literal("aspiretickets"));
        signalR.Services.AddOptions<RedisOptions>().Configure<IServiceProvider>((options, sp) =>
            options.ConnectionFactory = _ => Task.FromResult(sp.GetRequiredService<IConnectionMultiplexer>()));
        return signalR;
    }

    internal static ConnectionMultiplexer Connect(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        return ConnectionMultiplexer.Connect(options);
    }
}
