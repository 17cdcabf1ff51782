using AspireTickets.Infrastructure.Caching;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AspireTickets.Tests.Operations;

/// <summary>Two replicas on loopback; a client of one receives what the other sends, through Redis.</summary>
public sealed class SignalRBackplaneTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed class PingHub : Hub;

    private static async Task<WebApplication> StartReplicaAsync(string? redis)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        if (redis is not null)
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:cache"] = redis });
        }
        builder.Services.AddSignalR().AddTicketsRedis(builder.Configuration);
        var app = builder.Build();
        app.MapHub<PingHub>("/hubs/ping");
        await app.StartAsync(Ct);
        return app;
    }

    private static string Url(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hubs/ping";

    [Fact]
    public async Task Without_a_connection_string_signalr_stays_in_process()
    {
        await using var app = await StartReplicaAsync(null);
        Assert.IsNotType<RedisHubLifetimeManager<PingHub>>(app.Services.GetRequiredService<HubLifetimeManager<PingHub>>());
    }

    [Fact]
    public async Task With_redis_a_message_sent_on_one_replica_reaches_a_client_of_the_other()
    {
        RedisTestServer.SkipWhenMissing(RedisTestServer.Address);
        await using var a = await StartReplicaAsync(RedisTestServer.Address);
        await using var b = await StartReplicaAsync(RedisTestServer.Address);
        Assert.IsType<RedisHubLifetimeManager<PingHub>>(a.Services.GetRequiredService<HubLifetimeManager<PingHub>>());

        await using var client = new HubConnectionBuilder().WithUrl(Url(a)).Build();
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.On<string>("ticketChanged", id => received.TrySetResult(id));
        await client.StartAsync(Ct);

        // The subscription to Redis is made in the background; send until the message comes through.
        var hub = b.Services.GetRequiredService<IHubContext<PingHub>>();
        for (var i = 0; i < 50 && !received.Task.IsCompleted; i++)
        {
            await hub.Clients.All.SendAsync("ticketChanged", "ticket-42", Ct);
            await Task.WhenAny(received.Task, Task.Delay(100, Ct));
        }
        Assert.Equal("ticket-42", await received.Task.WaitAsync(TimeSpan.FromSeconds(5), Ct));
    }
}
