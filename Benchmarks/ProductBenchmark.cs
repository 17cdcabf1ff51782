using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;

namespace AspireTickets.Benchmarks;

/// <summary>
/// Starts the built Web app (the embedded host) on a loopback port over the benchmark's data directory, measures
/// process start to a 200 from <c>/health</c>, then times <c>GET /api/tickets</c>. The child is always killed.
/// </summary>
internal static class ProductBenchmark
{
    private const double StartTargetMs = 2_000;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private const int WarmUpRequests = 50;

    public static async Task<int> RunAsync(string dataDirectory, long expectedTotal, int pages, int requestCount, double p95TargetMs, bool buildWeb)
    {
        var webDll = await LocateWebAsync(buildWeb);
        if (webDll is null)
        {
            return 1;
        }

        var port = FreeLoopbackPort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var apiKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var output = new BoundedLog(40);

        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(webDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(webDll);
        startInfo.ArgumentList.Add("--urls");
        startInfo.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        // The embedded run: no distributed adapter may be picked up from this shell's environment.
        foreach (var name in startInfo.Environment.Keys.Where(k => k.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            startInfo.Environment.Remove(name);
        }
        startInfo.Environment["Tickets__DataDirectory"] = dataDirectory;
        startInfo.Environment["Auth__ApiKeys__bench"] = apiKey;
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        startInfo.Environment["Logging__LogLevel__Default"] = "Warning";
        // The benchmark is one client measuring the store; the rate limiter has its own benchmark (ratelimit).
        startInfo.Environment["Tickets__RateLimits__Enabled"] = "false";

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, e) => output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            if (!await WaitUntilHealthyAsync(http, process, watch))
            {
                Console.Error.WriteLine(process.HasExited
                    ? $"error: the Web app exited with code {process.ExitCode} before /health answered 200."
                    : $"error: /health did not answer 200 within {StartTimeout.TotalSeconds:0} s.");
                output.WriteTo(Console.Error);
                return 1;
            }
            Console.WriteLine(Invariant($"start-to-healthy: {watch.Elapsed.TotalMilliseconds:0} ms   (target < {StartTargetMs / 1000:0} s: {Percentiles.Verdict(watch.Elapsed.TotalMilliseconds < StartTargetMs)})"));

            http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
            var random = new Random(11);

            // The first answer decides whether there is an Api to measure: report anything else plainly, no figures.
            var (status, body) = await GetAsync(http, 1);
            if (Problem(status, body, expectedTotal) is { } problem)
            {
                Console.Error.WriteLine($"error: GET /api/tickets: {problem}");
                output.WriteTo(Console.Error);
                return 2;
            }

            for (var i = 0; i < WarmUpRequests; i++)
            {
                await GetAsync(http, random.Next(1, pages + 1));
            }
            var samples = new List<double>(requestCount);
            for (var i = 0; i < requestCount; i++)
            {
                var page = random.Next(1, pages + 1);
                var start = Stopwatch.GetTimestamp();
                (status, body) = await GetAsync(http, page);
                samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (status != HttpStatusCode.OK)
                {
                    Console.Error.WriteLine($"error: request {i + 1} (page {page}) answered {(int)status} {status}.");
                    return 2;
                }
            }
            Console.WriteLine($"GET /api/tickets (2 filters, sort, page of 50): {Percentiles.Describe(samples, p95TargetMs)}");
            Console.WriteLine($"machine at the end: {StoreBenchmark.LoadAverage()}");
            return 0;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            await process.WaitForExitAsync();
        }
    }

    private static async Task<(HttpStatusCode Status, byte[] Body)> GetAsync(HttpClient http, int page)
    {
        using var response = await http.GetAsync(
            $"/api/tickets?status=New&priority=High&sort=created&order=desc&page={page.ToString(CultureInfo.InvariantCulture)}&pageSize={StoreBenchmark.PageSize}");
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>Why the answer is not a page of the loaded data, or null when it is.</summary>
    private static string? Problem(HttpStatusCode status, byte[] body, long expectedTotal)
    {
        switch (status)
        {
            case HttpStatusCode.OK:
                break;
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                return $"{(int)status} {status}: the app does not accept the key given as Auth__ApiKeys__bench (is the Api with API-key auth merged and composed into Web?).";
            case HttpStatusCode.NotFound:
                return "404 Not Found: the app has no /api/tickets yet (is the Api merged and composed into Web?).";
            default:
                return $"{(int)status} {status}: {System.Text.Encoding.UTF8.GetString(body[..Math.Min(body.Length, 500)])}";
        }
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var total = root.GetProperty("totalCount").GetInt64();
            var items = root.GetProperty("items").GetArrayLength();
            if (total != expectedTotal)
            {
                return $"totalCount is {total}, but {expectedTotal} loaded tickets match: the app does not read Tickets__DataDirectory.";
            }
            if (items != Math.Min(StoreBenchmark.PageSize, expectedTotal))
            {
                return $"page 1 holds {items} items instead of {Math.Min(StoreBenchmark.PageSize, expectedTotal)}.";
            }
            return null;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return $"the answer is not {{ items, totalCount, page, pageSize }}: {ex.Message}";
        }
    }

    private static async Task<bool> WaitUntilHealthyAsync(HttpClient http, Process process, Stopwatch watch)
    {
        while (watch.Elapsed < StartTimeout && !process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(10);
        }
        return false;
    }

    /// <summary>
    /// The Web app's Release build, (re)built first unless told not to: an incremental build is quick, and a stale
    /// Web.dll would silently measure old code.
    /// </summary>
    private static async Task<string?> LocateWebAsync(bool rebuild)
    {
        var root = RepositoryRoot();
        if (root is null)
        {
            Console.Error.WriteLine("error: cannot find the folder holding AspireTickets.sln above " + AppContext.BaseDirectory);
            return null;
        }
        var webDll = Path.Combine(root, "Web", "bin", "Release", "net10.0", "Web.dll");
        if (rebuild || !File.Exists(webDll))
        {
            Console.WriteLine("building Web (Release)…");
            using var build = Process.Start(new ProcessStartInfo("dotnet", ["build", Path.Combine(root, "Web", "Web.csproj"), "-c", "Release", "-v", "quiet", "-nologo"])
            {
                UseShellExecute = false,
            })!;
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            await build.WaitForExitAsync(timeout.Token);
            if (build.ExitCode != 0 || !File.Exists(webDll))
            {
                Console.Error.WriteLine($"error: dotnet build Web -c Release failed (exit code {build.ExitCode}).");
                return null;
            }
        }
        Console.WriteLine($"product: {webDll} (built {File.GetLastWriteTimeUtc(webDll):u})");
        return webDll;
    }

    private static string? RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AspireTickets.sln")))
            {
                return directory.FullName;
            }
        }
        return null;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The last lines the child printed, shown when it fails.</summary>
    private sealed class BoundedLog(int capacity)
    {
        private readonly Queue<string> _lines = new();

        public void Add(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (_lines)
            {
                _lines.Enqueue(line);
                while (_lines.Count > capacity)
                {
                    _lines.Dequeue();
                }
            }
        }

        public void WriteTo(TextWriter writer)
        {
            lock (_lines)
            {
                foreach (var line in _lines)
                {
                    writer.WriteLine("  | " + line);
                }
            }
        }
    }
}
