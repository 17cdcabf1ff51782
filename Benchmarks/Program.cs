using System.Globalization;
using AspireTickets.Benchmarks;

// dotnet run --project Benchmarks -c Release -- events [--events 20000] [--groups 3] [--batch 200]
var verbs = new Dictionary<string, Func<Task<int>>>(StringComparer.Ordinal)
{
    ["events"] = () => EventLogBenchmark.RunAsync(
        IntOption("--events", 20_000, 100, 1_000_000),
        IntOption("--groups", 3, 1, 16),
        IntOption("--batch", 200, 1, 10_000)),
};

if (args.Length == 0 || !verbs.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine("usage: Benchmarks events [--events N (default 20000)] [--groups G (default 3)] [--batch B (default 200, the outbox batch)]");
    return 64;
}
return await run();

int IntOption(string name, int fallback, int min, int max)
{
    var index = Array.IndexOf(args, name);
    if (index < 0)
    {
        return fallback;
    }
    if (index + 1 < args.Length && int.TryParse(args[index + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
    {
        return value;
    }
    Console.Error.WriteLine($"{name} needs a whole number from {min} to {max}.");
    Environment.Exit(64);
    return fallback;
}
