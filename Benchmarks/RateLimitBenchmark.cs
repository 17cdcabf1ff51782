using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using AspireTickets.Api.Extensions;
using AspireTickets.Domain.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AspireTickets.Benchmarks;

/// <summary>
/// The "ratelimit" benchmark: the Api (embedded SQLite, loopback Kestrel, the product's default limits) over a few
/// thousand tickets. A quiet API key searches at a steady pace, first alone, then while a noisy key floods the same
/// search from many connections; then the flood again with the limiter off. Prints what the noisy key got through and
/// the quiet key's latency in each phase: with the limiter its p95 should stay near the alone figure.
/// </summary>
internal static class RateLimitBenchmark
{
    private const string NoisyKey = "noisy-key-0123456789abcdef";
    private const string QuietKey = "quiet-key-0123456789abcdef";
    private const string Search = "/api/tickets?q=vpn&pageSize=20";

    public static async Task<int> RunAsync(int seconds, int noisyConnections, int quietPerSecond, int tickets)
    {
        var phase = TimeSpan.FromSeconds(seconds);
        Console.WriteLine(Invariant($"ratelimit: {tickets} tickets, quiet key {quietPerSecond} searches/s, noisy key {noisyConnections} connections, {seconds} s a phase, {Environment.ProcessorCount} cores"));

        await using (var limited = await ApiHost.StartAsync(tickets, limiter: true))
        {
            await WarmUpAsync(limited.Address);
            var alone = await RunPhaseAsync(limited.Address, phase, quietPerSecond, noisyConnections: 0);
            Report("quiet alone (limiter on)", alone);
            var flooded = await RunPhaseAsync(limited.Address, phase, quietPerSecond, noisyConnections);
            Report("quiet + noisy (limiter on)", flooded);
        }
        await using (var open = await ApiHost.StartAsync(tickets, limiter: false))
        {
            await WarmUpAsync(open.Address);
            var unlimited = await RunPhaseAsync(open.Address, phase, quietPerSecond, noisyConnections);
            Report("quiet + noisy (limiter off)", unlimited);
        }
        return 0;
    }

    private sealed record PhaseResult(TimeSpan Elapsed, List<double> QuietMs, Dictionary<HttpStatusCode, int> QuietStatuses, Dictionary<HttpStatusCode, int> NoisyStatuses);

    private static async Task<PhaseResult> RunPhaseAsync(Uri address, TimeSpan duration, int quietPerSecond, int noisyConnections)
    {
        using var stop = new CancellationTokenSource(duration);
        var noisyStatuses = new ConcurrentDictionary<HttpStatusCode, int>();
        using var noisy = Client(address, NoisyKey, noisyConnections);
        var flood = Enumerable.Range(0, noisyConnections).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await noisy.GetAsync(Search, stop.Token);
                    await response.Content.ReadAsByteArrayAsync(stop.Token);
                    noisyStatuses.AddOrUpdate(response.StatusCode, 1, (_, n) => n + 1);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
            }
        })).ToList();

        // The quiet key keeps its own pace (an open loop), so its latency is not hidden by waiting for answers.
        using var quiet = Client(address, QuietKey, 4);
        var quietMs = new ConcurrentBag<double>();
        var quietStatuses = new ConcurrentDictionary<HttpStatusCode, int>();
        var interval = TimeSpan.FromSeconds(1.0 / quietPerSecond);
        var clock = Stopwatch.StartNew();
        var sends = new List<Task>();
        for (var next = TimeSpan.Zero; next < duration; next += interval)
        {
            var wait = next - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
            sends.Add(Task.Run(async () =>
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await quiet.GetAsync(Search);
                await response.Content.ReadAsByteArrayAsync();
                quietMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                quietStatuses.AddOrUpdate(response.StatusCode, 1, (_, n) => n + 1);
            }));
        }
        await Task.WhenAll(sends);
        await Task.WhenAll(flood);
        return new PhaseResult(clock.Elapsed, [.. quietMs], new(quietStatuses), new(noisyStatuses));
    }

    private static void Report(string name, PhaseResult result)
    {
        result.QuietMs.Sort();
        var noisyTotal = result.NoisyStatuses.Values.Sum();
        var noisyServed = result.NoisyStatuses.GetValueOrDefault(HttpStatusCode.OK);
        var noisyRefused = result.NoisyStatuses.GetValueOrDefault(HttpStatusCode.TooManyRequests);
        Console.WriteLine(Invariant($"{name,-28} quiet: {result.QuietMs.Count} requests, {Statuses(result.QuietStatuses)}, p50 {Percentiles.Of(result.QuietMs, 50):0.0} ms, p95 {Percentiles.Of(result.QuietMs, 95):0.0} ms")
            + (noisyTotal == 0 ? "" : Invariant($"   noisy: {noisyTotal} requests, {noisyServed / result.Elapsed.TotalSeconds:0} served/s, {noisyRefused} refused 429 ({Statuses(result.NoisyStatuses)})")));
    }

    private static string Statuses(Dictionary<HttpStatusCode, int> statuses) =>
        string.Join(" ", statuses.OrderBy(s => s.Key).Select(s => Invariant($"{(int)s.Key}×{s.Value}")));

    private static async Task WarmUpAsync(Uri address)
    {
        using var client = Client(address, QuietKey, 1);
        for (var i = 0; i < 20; i++)
        {
            using var response = await client.GetAsync(Search);
            response.EnsureSuccessStatusCode();
        }
        // Let the quiet key's bucket fill again before it is measured.
        await Task.Delay(TimeSpan.FromSeconds(2));
    }

    private static HttpClient Client(Uri address, string key, int connections)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Math.Max(1, connections), UseProxy = false })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The Api service on a loopback port over a fresh data folder with synthetic tickets.</summary>
    private sealed class ApiHost(WebApplication app, string dataDirectory) : IAsyncDisposable
    {
        public Uri Address { get; } = new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        public static async Task<ApiHost> StartAsync(int tickets, bool limiter)
        {
            var dataDirectory = Path.Combine(Path.GetTempPath(), "aspiretickets-ratelimit-" + Guid.NewGuid().ToString("n"));
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Tickets:DataDirectory"] = dataDirectory,
                ["Auth:ApiKeys:noisy"] = NoisyKey,
                ["Auth:ApiKeys:quiet"] = QuietKey,
                ["Tickets:RateLimits:Enabled"] = limiter ? "true" : "false",
                ["Tickets:Escalation:Schedule"] = "false",
            });
            builder.AddServiceDefaults();
            builder.AddTicketsApi();
            var app = builder.Build();
            app.MapDefaultEndpoints();
            app.UseTicketsApi();

            await app.StartAsync();
            await app.Services.GetRequiredService<ITicketStore>().CreateManyAsync(SyntheticTickets.Generate(tickets, DateTimeOffset.UtcNow));
            return new ApiHost(app, dataDirectory);
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
