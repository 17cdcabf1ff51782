using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AspireTickets.Domain.Events;
using AspireTickets.Domain.Storage;
using AspireTickets.Infrastructure.Archive;
using AspireTickets.Infrastructure.Storage.Sqlite;

namespace AspireTickets.Tests.Ingestion;

/// <summary>
/// The acknowledgement promise under crashes: signed deliveries to the real Ingestion process while it is killed
/// (SIGKILL) and restarted twice. Senders retry until acknowledged, as Jira does. Afterwards every delivery is
/// exactly one ticket, the acknowledged id is the stored one, and each ticket is whole (audit and created event).
/// </summary>
public class DurabilityTests
{
    private const string Secret = "durability-secret";

    [Fact]
    public async Task Killing_the_process_twice_loses_and_doubles_nothing()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("TICKETS_DURABILITY_COUNT"), out var n) ? n : 10_000;
        var ct = TestContext.Current.CancellationToken;
        var dataDirectory = Path.Combine(Path.GetTempPath(), "aspiretickets-durability-" + Guid.NewGuid().ToString("N"));
        var port = FreePort();
        var process = new IngestionProcess(port, dataDirectory);
        var acknowledged = new ConcurrentDictionary<string, Guid>();
        var kills = 0;
        var retries = 0;
        try
        {
            await process.StartAsync(ct);
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(20) };
            var killAt = new[] { count / 4, count * 3 / 5 };
            var restartGate = new SemaphoreSlim(1, 1);
            var next = -1;
            var clock = Stopwatch.StartNew();

            async Task Worker()
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    var key = $"DUR-{i}";
                    var body = Encoding.UTF8.GetBytes(Payloads.JiraIssueCreated(key, summary: $"Durability delivery {i}"));
                    while (true)
                    {
                        ct.ThrowIfCancellationRequested();
                        using var request = new HttpRequestMessage(HttpMethod.Post, "/ingest/jira") { Content = new ByteArrayContent(body) };
                        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                        request.Headers.Add("X-Hub-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body)));
                        try
                        {
                            using var response = await client.SendAsync(request, ct);
                            if (response.StatusCode == HttpStatusCode.Accepted)
                            {
                                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
                                var id = json.RootElement.GetProperty("ticketId").GetGuid();
                                Assert.True(acknowledged.GetOrAdd(key, id) == id, $"{key} acknowledged with two ids");
                                break;
                            }
                            Assert.True((int)response.StatusCode >= 500, $"{key}: {(int)response.StatusCode}");
                        }
                        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException && !ct.IsCancellationRequested)
                        {
                        }
                        Interlocked.Increment(ref retries);
                        await Task.Delay(50, ct);
                    }

                    if (kills < killAt.Length && acknowledged.Count >= killAt[kills] && await restartGate.WaitAsync(0, ct))
                    {
                        try
                        {
                            if (kills < killAt.Length && acknowledged.Count >= killAt[kills])
                            {
                                process.Kill();
                                kills++;
                                await process.StartAsync(ct);
                            }
                        }
                        finally
                        {
                            restartGate.Release();
                        }
                    }
                }
            }

            await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(Worker, ct)));
            clock.Stop();
            process.Kill();

            using var store = new SqliteTicketStore(dataDirectory);
            var total = (await store.QueryAsync(new TicketQuery { PageSize = 1 }, ct)).TotalCount;
            var events = await store.GetUnpublishedEventsAsync(count * 3, ct);
            var createdEvents = events.Where(e => e.Type == TicketEventTypes.Created).GroupBy(e => e.TicketId).ToDictionary(g => g.Key, g => g.Count());
            var missing = 0;
            var halfWritten = 0;
            foreach (var (key, id) in acknowledged)
            {
                var ticket = await store.FindBySourceKeyAsync("jira:" + key, ct);
                if (ticket is null || ticket.Id != id)
                {
                    missing++;
                    continue;
                }
                if (ticket.Insights?.MaskedText is null || createdEvents.GetValueOrDefault(id) != 1 || ticket.Title.Length == 0)
                {
                    halfWritten++;
                }
            }
            var sampleAudit = await store.GetAuditTrailAsync(acknowledged[$"DUR-{count - 1}"], ct);
            var archivedKeys = ArchivedIssueKeys(Path.Combine(dataDirectory, "raw", "jira"));
            var notArchived = acknowledged.Keys.Count(key => !archivedKeys.Contains(key));

            TestContext.Current.TestOutputHelper?.WriteLine(
                $"durability: {count} deliveries, {kills} SIGKILLs, {retries} retried requests, {clock.Elapsed.TotalSeconds:0.0}s; " +
                $"tickets {total}, acknowledged {acknowledged.Count}, missing {missing}, half-written {halfWritten}, created events {createdEvents.Values.Sum()}, acknowledged but not archived {notArchived}");
            Assert.Equal(2, kills);
            Assert.Equal(count, acknowledged.Count);
            Assert.Equal(count, total);
            Assert.Equal(0, missing);
            Assert.Equal(0, halfWritten);
            Assert.Equal(count, createdEvents.Count);
            Assert.NotEmpty(sampleAudit);
            Assert.Equal(0, notArchived);
        }
        finally
        {
            process.Kill();
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

    // Every acknowledged delivery must be in the raw archive too (re-deliveries after a kill add records, not gaps).
    private static HashSet<string> ArchivedIssueKeys(string folder)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in Directory.GetFiles(folder, "*" + LocalRawArchive.SegmentExtension))
        {
            using var stream = File.OpenRead(path);
            foreach (var record in RawArchiveSegment.ReadRecords(stream))
            {
                using var json = JsonDocument.Parse(record.Content);
                keys.Add(json.RootElement.GetProperty("issue").GetProperty("key").GetString()!);
            }
        }
        return keys;
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>The built Ingestion service (same configuration as this test build), run as its own process.</summary>
    private sealed class IngestionProcess(int port, string dataDirectory)
    {
        private Process? _process;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { IngestionDll(), "--urls", $"http://127.0.0.1:{port}", $"--Tickets:DataDirectory={dataDirectory}", $"--Ingestion:Sources:jira:Secret={Secret}", "--Logging:LogLevel:Default=Warning",
                    // 3,000 deliveries as fast as one address can send them: what is measured is durability, not the limiter.
                    "--Tickets:RateLimits:Enabled=false" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["DOTNET_ENVIRONMENT"] = "Production";
            start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
            _process = Process.Start(start)!;
            _process.OutputDataReceived += (_, _) => { };
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();

            using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                Assert.False(_process.HasExited, "Ingestion exited during start-up");
                try
                {
                    if ((await probe.GetAsync($"http://127.0.0.1:{port}/alive", cancellationToken)).IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                }
                await Task.Delay(100, cancellationToken);
            }
            Assert.Fail("Ingestion did not start within 60 s");
        }

        /// <summary>SIGKILL: no shutdown hooks, no flushing; whatever was not durable is gone.</summary>
        public void Kill()
        {
            if (_process is { HasExited: false } process)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
            _process?.Dispose();
            _process = null;
        }

        private static string IngestionDll()
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AspireTickets.sln")))
            {
                directory = directory.Parent;
            }
            Assert.NotNull(directory);
            var dll = Path.Combine(directory.FullName, "Ingestion", "bin", configuration, "net10.0", "Ingestion.dll");
            Assert.True(File.Exists(dll), $"build Ingestion first: {dll}");
            return dll;
        }
    }
}
