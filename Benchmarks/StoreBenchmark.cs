using System.Diagnostics;
using System.Globalization;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;
using AspireTickets.Infrastructure.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace AspireTickets.Benchmarks;

/// <summary>
/// The "store" benchmark: bulk insert through <see cref="ITicketStore.CreateManyAsync"/>, the list query straight
/// on the store, then the product itself (the built Web app as a child process): time to healthy and the same
/// query over HTTP. Figures are printed beside their targets.
/// </summary>
internal static class StoreBenchmark
{
    public const int PageSize = 50;
    private const double InsertTargetPerSecond = 5_000;
    private const double QueryP95TargetMs = 20;
    private const int WarmUpRequests = 50;

    public static async Task<int> RunAsync(int ticketCount, int requestCount, bool keep, bool buildWeb)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "aspiretickets-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Console.WriteLine($"store benchmark: {ticketCount} tickets, {requestCount} requests, data directory {dataDirectory}");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {LoadAverage()}");
        try
        {
            long expectedTotal;
            {
                using var store = new SqliteTicketStore(dataDirectory);
                await store.EnsureCreatedAsync();
                var (inserted, elapsed, cpu) = await BulkInsertAsync(store, ticketCount);
                if (inserted != ticketCount)
                {
                    Console.Error.WriteLine($"error: only {inserted} of {ticketCount} tickets were created.");
                    return 1;
                }
                var perSecond = ticketCount / elapsed.TotalSeconds;
                Console.WriteLine(Invariant(
                    $"bulk insert: {ticketCount} tickets in {elapsed.TotalSeconds:0.00} s = {perSecond:0} tickets/s   (target ≥ {InsertTargetPerSecond:#,0} tickets/s: {Percentiles.Verdict(perSecond >= InsertTargetPerSecond)}; CPU {cpu.TotalSeconds:0.00} s = {ticketCount / cpu.TotalSeconds:0} tickets per CPU-second)"));
                // The generated tickets are garbage now; collect them so their collection does not land in the timings.
                GC.Collect();
                GC.WaitForPendingFinalizers();

                expectedTotal = (await store.QueryAsync(Query(1))).TotalCount;
                var pages = PageCount(expectedTotal);
                Console.WriteLine($"matching tickets (status=New, priority=High): {expectedTotal} = {pages} pages of {PageSize}");

                var random = new Random(7);
                for (var i = 0; i < WarmUpRequests; i++)
                {
                    await store.QueryAsync(Query(random.Next(1, pages + 1)));
                }
                var samples = new List<double>(requestCount);
                for (var i = 0; i < requestCount; i++)
                {
                    var query = Query(random.Next(1, pages + 1));
                    var start = Stopwatch.GetTimestamp();
                    var page = await store.QueryAsync(query);
                    samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    if (page.TotalCount != expectedTotal)
                    {
                        Console.Error.WriteLine($"error: the store counted {page.TotalCount} instead of {expectedTotal}.");
                        return 1;
                    }
                }
                Console.WriteLine($"store query (2 filters, sort, page of 50): {Percentiles.Describe(samples, QueryP95TargetMs)}");
            }

            // The child process opens the same file; release this process's pooled connections first.
            SqliteConnection.ClearAllPools();
            GC.Collect();

            return await ProductBenchmark.RunAsync(dataDirectory, expectedTotal, PageCount(expectedTotal), requestCount, QueryP95TargetMs, buildWeb);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (keep)
            {
                Console.WriteLine($"kept {dataDirectory}");
            }
            else if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    private static async Task<(int Created, TimeSpan Elapsed, TimeSpan Cpu)> BulkInsertAsync(SqliteTicketStore store, int ticketCount)
    {
        Console.WriteLine("generating synthetic tickets…");
        var items = SyntheticTickets.Generate(ticketCount, DateTimeOffset.UtcNow);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var results = await store.CreateManyAsync(items);
        watch.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        return (results.Count(r => r.Created), watch.Elapsed, cpu);
    }

    /// <summary>The query the product's list view sends most: two filters, newest first, one page.</summary>
    public static TicketQuery Query(int page) => new()
    {
        Statuses = [TicketStatus.New],
        Priorities = [TicketPriority.High],
        SortBy = TicketSortField.Created,
        Descending = true,
        Page = page,
        PageSize = PageSize,
    };

    /// <summary>Figures on a busy machine are not figures of the code; print how busy it was.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? "load average " + string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "load average unknown";

    private static int PageCount(long total) => (int)Math.Max(1, (total + PageSize - 1) / PageSize);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
