using System.Globalization;
using AspireTickets.Benchmarks;

// dotnet run --project Benchmarks -c Release -- agents [--tickets 100000] [--runs 2000] [--workers 2] [--pool 200]
var verbs = new Dictionary<string, Func<Task<int>>>(StringComparer.Ordinal)
{
    ["agents"] = () => AgentsBenchmark.RunAsync(
        IntOption("--tickets", 100_000, 1_000, 2_000_000),
        IntOption("--runs", 2_000, 10, 1_000_000),
        IntOption("--workers", Environment.ProcessorCount, 1, 64),
        IntOption("--pool", 200, 0, 1_000_000)),
};

if (args.Length == 0 || !verbs.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine("usage: Benchmarks agents [--tickets N (default 100000)] [--runs N (default 2000)] [--workers N (default: cores)] [--pool N (lexical candidates per search, default 200; 0 = exact)]");
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
