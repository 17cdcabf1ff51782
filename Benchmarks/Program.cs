using AspireTickets.Benchmarks;

// dotnet run -c Release --project Benchmarks -- <verb> [options]
return args switch
{
    ["ingest", .. var rest] => await IngestLoad.RunAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: Benchmarks <verb> [options]
          ingest   signed Jira webhooks against the embedded ingestion (or --url http://127.0.0.1:PORT)
                   --count N (default 5000, max 100000)  --concurrency C (default 32, max 256)  --seconds S (default 60, max 600)
        """);
    return 1;
}
