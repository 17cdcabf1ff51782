using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using AspireTickets.Domain.Storage;
using AspireTickets.Ingestion.Extensions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AspireTickets.Benchmarks;

/// <summary>
/// The ingestion load generator: sends signed <c>jira:issue_created</c> webhooks (one new issue each) and prints
/// throughput and latency percentiles. By default it hosts the embedded ingestion module itself (Kestrel on
/// loopback, SQLite in a temp folder), so the figure is the embedded product's; it only ever talks to loopback.
/// </summary>
public static class IngestLoad
{
    private const string Secret = "load-generator-secret";

    public static async Task<int> RunAsync(string[] args)
    {
        var count = Math.Clamp(IntOption(args, "--count", 5_000), 1, 100_000);
        var concurrency = Math.Clamp(IntOption(args, "--concurrency", 32), 1, 256);
        var seconds = Math.Clamp(IntOption(args, "--seconds", 60), 1, 600);
        var warmup = Math.Clamp(IntOption(args, "--warmup", 2_000), 0, 100_000);
        var url = StringOption(args, "--url");
        var secret = StringOption(args, "--secret") ?? Secret;

        WebApplication? app = null;
        string? dataDirectory = null;
        if (url is null)
        {
            dataDirectory = Path.Combine(Path.GetTempPath(), "aspiretickets-ingest-load-" + Guid.NewGuid().ToString("N"));
            app = await StartEmbeddedAsync(dataDirectory);
            url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        }
        var baseUri = new Uri(url);
        if (!IPAddress.TryParse(baseUri.Host, out var address) ? baseUri.Host != "localhost" : !IPAddress.IsLoopback(address))
        {
            Console.Error.WriteLine($"ingest: refusing {baseUri.Host}: the load generator only talks to loopback.");
            return 1;
        }

        try
        {
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
            {
                BaseAddress = baseUri,
                Timeout = TimeSpan.FromSeconds(30),
            };
            var run = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();

            // Warm-up, not counted: a server under sustained load runs fully optimised code, so the measured part
            // starts once the tiered JIT has gone quiet (it promotes hot methods in the background, slower when the
            // machine is busy), the connection pool is full and SQLite's caches are warm.
            var warmupStarted = Stopwatch.StartNew();
            var warmed = 0;
            while (warmed < warmup)
            {
                var compiledBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
                await SendBatchAsync(client, $"WARM{run}-{warmed}", 500, concurrency, secret, TimeSpan.FromSeconds(60));
                warmed += 500;
                await Task.Delay(TimeSpan.FromMilliseconds(500));
                var compiled = System.Runtime.JitInfo.GetCompiledMethodCount() - compiledBefore;
                if (warmed >= warmup && compiled > 25 && warmupStarted.Elapsed < TimeSpan.FromSeconds(90))
                {
                    warmup += 500; // still compiling: keep warming
                }
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"warm-up: {warmed} deliveries in {warmupStarted.Elapsed.TotalSeconds:0.0}s until the JIT went quiet ({System.Runtime.JitInfo.GetCompiledMethodCount()} methods compiled)"));

            Console.WriteLine($"ingest: {count} signed Jira webhooks, concurrency {concurrency}, limit {seconds}s, target {baseUri}");
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {LoadAverage()} (other work on the machine lowers these figures)");
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var result = await SendBatchAsync(client, $"LOAD{run}", count, concurrency, secret, TimeSpan.FromSeconds(seconds));
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            Print(result);
            // In the embedded run client and server share this process, so this is the CPU both together need.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cpu: {cpu.TotalSeconds:0.00}s for {result.Sent} deliveries = {result.Sent / Math.Max(0.001, cpu.TotalSeconds):0} deliveries per CPU-second{(app is null ? " (client only)" : " (client + server)")}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"target (embedded): >= 1000 deliveries/s, p95 < 20 ms: {(result.Sent / result.Elapsed.TotalSeconds >= 1000 && result.P95 < 20 ? "met" : "NOT met")}"));

            if (app is not null)
            {
                var store = app.Services.GetRequiredService<ITicketStore>();
                var stored = await store.QueryAsync(new TicketQuery { PageSize = 1, Text = null });
                Console.WriteLine($"stored tickets (incl. warm-up): {stored.TotalCount}");
            }
            return result.Failures == 0 ? 0 : 2;
        }
        finally
        {
            if (app is not null)
            {
                await app.StopAsync();
                await app.DisposeAsync();
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                TryDelete(dataDirectory!);
            }
        }
    }

    private static async Task<WebApplication> StartEmbeddedAsync(string dataDirectory)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tickets:DataDirectory"] = dataDirectory,
            ["Ingestion:Sources:jira:Secret"] = Secret,
            // One address sending as fast as ingestion takes it: the rate limiter is measured by `ratelimit` instead.
            ["Tickets:RateLimits:Enabled"] = "false",
        });
        builder.AddTicketIngestion();
        var app = builder.Build();
        app.MapTicketIngestion();
        await app.StartAsync();
        return app;
    }

    private sealed record LoadResult(int Sent, int Failures, Dictionary<int, int> Statuses, TimeSpan Elapsed, double[] LatenciesMs, bool TimedOut)
    {
        public double Percentile(double q) => LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[Math.Min(LatenciesMs.Length - 1, (int)Math.Ceiling(q * LatenciesMs.Length) - 1)];
        public double P95 => Percentile(0.95);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? "load average " + string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "load average unknown";

    private static async Task<LoadResult> SendBatchAsync(HttpClient client, string prefix, int count, int concurrency, string secret, TimeSpan limit)
    {
        var latencies = new double[count];
        var statuses = new int[count];
        var next = -1;
        using var deadline = new CancellationTokenSource(limit);
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count && !deadline.IsCancellationRequested)
            {
                var body = Encoding.UTF8.GetBytes(Payload($"{prefix}-{i}", i));
                using var request = new HttpRequestMessage(HttpMethod.Post, "/ingest/jira") { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                request.Headers.Add("X-Hub-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)));
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.SendAsync(request, deadline.Token);
                    statuses[i] = (int)response.StatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    statuses[i] = -1;
                }
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }).ToArray();
        await Task.WhenAll(workers);
        clock.Stop();

        var sent = Math.Min(count, next);
        var done = Enumerable.Range(0, count).Where(i => statuses[i] != 0).ToArray();
        var byStatus = done.GroupBy(i => statuses[i]).ToDictionary(g => g.Key, g => g.Count());
        return new LoadResult(done.Length, done.Count(i => statuses[i] != 202), byStatus, clock.Elapsed,
            done.Select(i => latencies[i]).Order().ToArray(), sent < count);
    }

    private static void Print(LoadResult result)
    {
        double P(double q) => result.Percentile(q);
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"deliveries: {result.Sent} in {result.Elapsed.TotalSeconds:0.00}s{(result.TimedOut ? " (time limit reached)" : "")}"));
        Console.WriteLine(string.Create(inv, $"throughput: {result.Sent / result.Elapsed.TotalSeconds:0} deliveries/s"));
        Console.WriteLine(string.Create(inv, $"latency ms: p50 {P(0.50):0.00}  p95 {P(0.95):0.00}  p99 {P(0.99):0.00}  max {(result.LatenciesMs.Length > 0 ? result.LatenciesMs[^1] : double.NaN):0.00}"));
        Console.WriteLine("statuses: " + string.Join(", ", result.Statuses.OrderBy(s => s.Key).Select(s => $"{(s.Key < 0 ? "error" : s.Key.ToString(inv))}={s.Value}")));
    }

    private static string Payload(string key, int i) => PayloadTemplate
        .Replace("@KEY", key, StringComparison.Ordinal)
        .Replace("@V", (i % 10).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("@IP", (i % 250).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("@I", i.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private const string PayloadTemplate = """
        {"timestamp":1772445302000,"webhookEvent":"jira:issue_created","issue":{"id":"@I","key":"@KEY","fields":{
        "summary":"Checkout fails with HTTP 503 after deploy @I","issuetype":{"name":"Bug"},"project":{"key":"LOAD","name":"Load"},
        "priority":{"name":"High"},"labels":["checkout"],"reporter":{"displayName":"Load Generator","emailAddress":"load@example.com"},
        "created":"2026-03-02T09:15:02.000+0100","description":{"type":"doc","version":1,"content":[{"type":"paragraph","content":[
        {"type":"text","text":"Since v2.14.@V the checkout at https://shop.example.com/checkout returns 503 for card 4111 1111 1111 1111; host pay-gw.internal (10.0.0.@IP)."}]}]}}}}
        """;

    private static int IntOption(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }

    private static string? StringOption(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
