using System.Diagnostics;
using AspireTickets.Domain.Events;
using AspireTickets.Infrastructure.Documents;
using AspireTickets.Infrastructure.Events;
using AspireTickets.Infrastructure.Events.InProcess;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace AspireTickets.Benchmarks;

/// <summary>
/// The durable in-process event log on its own (no handlers' work): publish rate with every batch on disk
/// before publish returns, delivery rate to several consumer groups, both at once (end to end), and the reload
/// after a restart. Target: at least 1,000 deliveries/s end to end (ingestion load).
/// </summary>
internal static class EventLogBenchmark
{
    private const double TargetDeliveriesPerSecond = 1_000;

    public static async Task<int> RunAsync(int events, int groups, int batch)
    {
        var directory = Path.Combine(Path.GetTempPath(), "aspiretickets-bench-events", Guid.NewGuid().ToString("n"));
        try
        {
            var options = Options.Create(new EventLogOptions());
            var deadLetters = new DeadLetterStore(new SqliteDocumentStore(directory), TimeProvider.System);
            var groupNames = Enumerable.Range(1, groups).Select(g => $"group{g}").ToArray();
            Console.WriteLine($"durable in-process event log: {events:N0} events, {groups} consumer groups, publish batches of {batch}, {options.Value.Partitions} partitions");

            // 1. Publish only (groups known but stopped, so nothing is pruned meanwhile).
            var log = new InProcessEventLog(options, deadLetters, directory);
            await ConsumeAsync(log, groupNames, 0, TimeSpan.Zero); // registers the groups
            var published = Stopwatch.StartNew();
            await PublishAsync(log, events, batch);
            published.Stop();
            Report("publish (durable)", events, published.Elapsed, "events");

            // 2. Kill-like restart: a fresh instance reloads what is held.
            var reload = Stopwatch.StartNew();
            var restarted = new InProcessEventLog(options, deadLetters, directory);
            reload.Stop();
            Console.WriteLine($"  reload after restart: {events:N0} events in {reload.Elapsed.TotalMilliseconds:N0} ms");
            await log.DisposeAsync();

            // 3. Consume what was held, all groups at once.
            var consumed = await ConsumeAsync(restarted, groupNames, events, TimeSpan.FromMinutes(5));
            Report("consume (all groups)", events * groups, consumed, "deliveries");
            await restarted.DisposeAsync();

            // 4. End to end: publish while the groups consume, until every group has every event.
            var live = new InProcessEventLog(options, deadLetters, directory);
            var endToEnd = Stopwatch.StartNew();
            var consuming = ConsumeAsync(live, groupNames, events, TimeSpan.FromMinutes(5));
            await PublishAsync(live, events, batch);
            await consuming;
            endToEnd.Stop();
            var rate = Report("end to end (publish + consume)", events * groups, endToEnd.Elapsed, "deliveries");
            await live.DisposeAsync();

            var pass = rate >= TargetDeliveriesPerSecond;
            Console.WriteLine($"target ≥ {TargetDeliveriesPerSecond:N0} deliveries/s end to end: {(pass ? "met" : "NOT met")}");
            return pass ? 0 : 1;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task PublishAsync(InProcessEventLog log, int events, int batch)
    {
        var tickets = Enumerable.Range(0, Math.Max(1, events / 4)).Select(_ => Guid.NewGuid()).ToArray();
        var now = DateTimeOffset.UtcNow;
        for (var sent = 0; sent < events; sent += batch)
        {
            var count = Math.Min(batch, events - sent);
            var page = Enumerable.Range(sent, count)
                .Select(i => TicketEvent.Create(tickets[i % tickets.Length], now, new TicketUpdated(["title"])))
                .ToList();
            await log.PublishAsync(page, CancellationToken.None);
        }
    }

    /// <summary>Runs every group until each has had <paramref name="expected"/> events, then stops them (saving their offsets).</summary>
    private static async Task<TimeSpan> ConsumeAsync(InProcessEventLog log, string[] groups, int expected, TimeSpan timeout)
    {
        using var stop = new CancellationTokenSource();
        var remaining = groups.Length * expected;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (remaining == 0)
        {
            done.SetResult();
        }
        var clock = Stopwatch.StartNew();
        var consumers = groups.Select(g => log.ConsumeAsync(g, (_, _) =>
        {
            if (Interlocked.Decrement(ref remaining) == 0)
            {
                done.SetResult();
            }
            return Task.CompletedTask;
        }, stop.Token)).ToArray();
        try
        {
            await done.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Volatile.Read(ref remaining):N0} deliveries missing after {timeout}.");
        }
        clock.Stop();
        await stop.CancelAsync();
        await Task.WhenAll(consumers);
        return clock.Elapsed;
    }

    private static double Report(string what, int count, TimeSpan elapsed, string unit)
    {
        var rate = count / elapsed.TotalSeconds;
        Console.WriteLine($"  {what}: {count:N0} {unit} in {elapsed.TotalMilliseconds:N0} ms = {rate:N0} {unit}/s");
        return rate;
    }
}
