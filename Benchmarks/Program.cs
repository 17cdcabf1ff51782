using System.Globalization;
using AspireTickets.Benchmarks;

// dotnet run --project Benchmarks -c Release -- store [--tickets 100000] [--requests 2000] [--keep] [--no-web-build]
// dotnet run --project Benchmarks -c Release -- ingest [--count 5000] [--concurrency 32] [--seconds 60] [--warmup 2000] [--url http://127.0.0.1:PORT]
// dotnet run --project Benchmarks -c Release -- events [--events 20000] [--groups 3] [--batch 200]
// dotnet run --project Benchmarks -c Release -- ratelimit [--seconds 10] [--noisy 32] [--quiet 20] [--tickets 5000]
// dotnet run --project Benchmarks -c Release -- agents [--tickets 100000] [--runs 2000] [--workers 2] [--pool 200] [--encoder none|minilm]
if (args is ["ingest", .. var ingestArgs])
{
    return await IngestLoad.RunAsync(ingestArgs);
}
if (args is ["events", ..])
{
    return await EventLogBenchmark.RunAsync(
        IntOption("--events", 20_000, 100, 1_000_000),
        IntOption("--groups", 3, 1, 16),
        IntOption("--batch", 200, 1, 10_000));
}
if (args is ["ratelimit", ..])
{
    return await RateLimitBenchmark.RunAsync(
        IntOption("--seconds", 10, 2, 600),
        IntOption("--noisy", 32, 1, 256),
        IntOption("--quiet", 20, 1, 1_000),
        IntOption("--tickets", 5_000, 0, 1_000_000));
}
if (args is ["agents", ..])
{
    return await AgentsBenchmark.RunAsync(
        IntOption("--tickets", 100_000, 1_000, 2_000_000),
        IntOption("--runs", 2_000, 10, 1_000_000),
        IntOption("--workers", Environment.ProcessorCount, 1, 64),
        IntOption("--pool", 200, 0, 1_000_000),
        EncoderOption());
}
if (args.Length == 0 || args[0] != "store")
{
    Console.Error.WriteLine("usage: Benchmarks store [--tickets N (default 100000)] [--requests N (default 2000)] [--keep] [--no-web-build]");
    Console.Error.WriteLine("       Benchmarks agents [--tickets N (default 100000)] [--runs N (default 2000)] [--workers N (default: cores)] [--pool N (lexical candidates per search, default 200; 0 = exact)] [--encoder none|minilm (triage's sentence encoder, default none: the target is without a language model)]");
    Console.Error.WriteLine("       Benchmarks ingest [--count N (default 5000, max 100000)] [--concurrency C (default 32, max 256)] [--seconds S (default 60, max 600)] [--warmup N (default 2000, at least; more until the JIT is quiet; not counted)] [--url http://127.0.0.1:PORT]");
    Console.Error.WriteLine("       Benchmarks ratelimit [--seconds S a phase (default 10)] [--noisy C (the flooding key's connections, default 32)] [--quiet N (the other key's searches/s, default 20)] [--tickets N (default 5000)]");
    Console.Error.WriteLine("       Benchmarks events [--events N (default 20000)] [--groups G (default 3)] [--batch B (default 200, the outbox batch)]");
    return 64;
}

var tickets = IntOption("--tickets", 100_000, 1, 2_000_000);
var requests = IntOption("--requests", 2_000, 1, 100_000);
var keep = args.Contains("--keep");
var buildWeb = !args.Contains("--no-web-build");

return await StoreBenchmark.RunAsync(tickets, requests, keep, buildWeb);

string EncoderOption()
{
    var index = Array.IndexOf(args, "--encoder");
    if (index < 0)
    {
        return "None";
    }
    if (index + 1 < args.Length && Enum.TryParse<AspireTickets.Agents.Intelligence.Text.TextEncoderKind>(args[index + 1], ignoreCase: true, out var kind))
    {
        return kind.ToString();
    }
    Console.Error.WriteLine("--encoder needs none or minilm.");
    Environment.Exit(64);
    return "None";
}

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
