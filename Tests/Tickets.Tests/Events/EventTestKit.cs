using System.Diagnostics;
using System.Threading.Channels;
using AspireTickets.Domain.Diagnostics;
using AspireTickets.Domain.Events;
using AspireTickets.Infrastructure.Documents;

namespace AspireTickets.Tests.Events;

/// <summary>Helpers shared by the event tests: a temp document store, events, waiting for deliveries, span capture.</summary>
internal static class EventTestKit
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TicketEvent Event(Guid ticketId, string type = TicketEventTypes.Created, string? data = null, int seq = 0) => new()
    {
        Type = type,
        TicketId = ticketId,
        OccurredAt = T0.AddSeconds(seq),
        Data = data ?? $$"""{"seq":{{seq}}}""",
    };

    /// <summary>Reads <paramref name="count"/> items, failing (not hanging) when they do not come in time.</summary>
    public static async Task<List<T>> ReadAsync<T>(this ChannelReader<T> reader, int count, TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(30));
        var items = new List<T>();
        try
        {
            while (items.Count < count)
            {
                items.Add(await reader.ReadAsync(cts.Token));
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            Assert.Fail($"Expected {count} deliveries, got {items.Count} in time.");
        }
        return items;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, failing when it does not in time.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for: {what}");
            }
            await Task.Delay(20, Ct);
        }
    }

    public static string NewTempDirectory() => Path.Combine(Path.GetTempPath(), "aspiretickets-tests", Guid.NewGuid().ToString("n"));

    public static void DeleteDirectory(string path)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    public static SqliteDocumentStore Documents(string directory) => new(directory);
}

/// <summary>Records the spans of the AspireTickets source (all tests share the listener; filter by trace id).</summary>
internal static class SpanRecorder
{
    private static readonly List<Activity> Stopped = [];
    private static readonly ActivityListener Listener = new()
    {
        ShouldListenTo = source => source.Name == TicketsTelemetry.ActivitySourceName,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        ActivityStopped = activity =>
        {
            lock (Stopped)
            {
                Stopped.Add(activity);
            }
        },
    };

    public static void Start() => ActivitySource.AddActivityListener(Listener);

    public static IReadOnlyList<Activity> ForTrace(ActivityTraceId traceId)
    {
        lock (Stopped)
        {
            return [.. Stopped.Where(a => a.TraceId == traceId)];
        }
    }

    static SpanRecorder() => Start();

    public static void EnsureStarted() { }
}
