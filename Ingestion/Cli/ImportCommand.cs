using System.Text.Json;
using AspireTickets.Ingestion.Extensions;
using AspireTickets.Ingestion.Sources.Bulk;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace AspireTickets.Ingestion.Cli;

/// <summary>
/// <c>dotnet run --project Ingestion -- import &lt;file&gt; [--format csv|jsonl] [--map title=Subject,…] [--delimiter ;]</c>:
/// the bulk import of <c>POST /ingest/bulk</c> for a file, into the configured store (same configuration keys).
/// Exit code 0 when every row was imported or already present, 2 when some rows failed, 1 on unusable input.
/// </summary>
public static class ImportCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            await error.WriteLineAsync("usage: import <file> [--format csv|jsonl] [--map field=Column,...] [--delimiter ;] [--Tickets:DataDirectory=<dir>]");
            return 1;
        }
        var file = args[0];
        if (!File.Exists(file))
        {
            await error.WriteLineAsync($"import: no such file: {file}");
            return 1;
        }

        var query = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
        var hostArgs = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] is "--format" or "--map" or "--delimiter" && i + 1 < args.Length)
            {
                query[args[i][2..]] = args[++i];
            }
            else
            {
                hostArgs.Add(args[i]);
            }
        }
        if (!query.ContainsKey("format"))
        {
            query["format"] = Path.GetExtension(file).ToLowerInvariant() is ".jsonl" or ".ndjson" ? "jsonl" : "csv";
        }
        var request = BulkImportRequest.FromQuery(new QueryCollection(query), null);
        if (request.Error is { } invalid)
        {
            await error.WriteLineAsync($"import: {invalid.Field}: {invalid.Reason}");
            return 1;
        }

        var builder = Host.CreateApplicationBuilder([.. hostArgs]);
        builder.AddTicketIngestion();
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            await using var scope = host.Services.CreateAsyncScope();
            await using var stream = File.OpenRead(file);
            var report = await scope.ServiceProvider.GetRequiredService<BulkImporter>().ImportAsync(stream, request, CancellationToken.None);
            await output.WriteLineAsync(JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
            return report.Failed == 0 ? 0 : 2;
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
