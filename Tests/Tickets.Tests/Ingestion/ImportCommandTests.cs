using System.Text.Json;
using AspireTickets.Domain.Storage;
using AspireTickets.Infrastructure.Storage.Sqlite;
using AspireTickets.Ingestion.Cli;

namespace AspireTickets.Tests.Ingestion;

public class ImportCommandTests
{
    [Fact]
    public async Task Imports_a_CSV_file_into_the_embedded_store_and_reports_bad_rows()
    {
        var directory = Path.Combine(Path.GetTempPath(), "import-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var file = Path.Combine(directory, "legacy.csv");
            await File.WriteAllTextAsync(file, "Nr;Betreff;Text;Prio\n1;Drucker druckt nicht;Seit dem Update druckt der Drucker nicht mehr.;hoch\n2;VPN trennt;VPN trennt alle 10 Minuten;high\n3;;ohne Betreff;low\n", TestContext.Current.CancellationToken);
            var output = new StringWriter();
            var error = new StringWriter();

            var exit = await ImportCommand.RunAsync([file, "--delimiter", ";", "--map", "key=Nr,title=Betreff,description=Text,priority=Prio", $"--Tickets:DataDirectory={directory}"], output, error);

            Assert.Equal(2, exit);
            using var report = JsonDocument.Parse(output.ToString());
            Assert.Equal(1, report.RootElement.GetProperty("created").GetInt32());
            Assert.Equal(2, report.RootElement.GetProperty("failed").GetInt32());
            using var store = new SqliteTicketStore(directory);
            var page = await store.QueryAsync(new TicketQuery(), TestContext.Current.CancellationToken);
            Assert.Equal("VPN trennt", Assert.Single(page.Items).Title);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_missing_file_is_an_error() =>
        Assert.Equal(1, await ImportCommand.RunAsync(["/nonexistent/file.csv"], new StringWriter(), new StringWriter()));
}
