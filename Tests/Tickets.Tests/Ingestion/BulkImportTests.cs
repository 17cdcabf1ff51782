using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Tests.Ingestion;

public class BulkImportTests
{
    [Fact]
    public async Task CSV_with_a_column_mapping_imports_good_rows_and_reports_bad_ones()
    {
        await using var host = await IngestionTestHost.StartAsync();
        const string csv = """
            Ref;Subject;Body;Prio;Opened;Email;Tags
            OLD-1;Login loop after password reset;"Users are sent back to the login page; cookies are set.";High;2025-11-03T08:00:00Z;a@example.com;auth,login
            OLD-2;;Missing subject row;Low;2025-11-04T08:00:00Z;b@example.com;
            OLD-3;Export to Excel times out;Export of 50k rows fails;Whenever;2025-11-05T08:00:00Z;c@example.com;
            OLD-4;Rapport mensuel vide;"Le rapport mensuel est vide depuis la mise à jour.";Low;yesterday;d@example.com;
            OLD-5;Crash on start "beta";x;Low;2025-11-06T08:00:00Z;e@example.com;
            OLD-6;Dark mode request;Please add a dark mode;low;2025-11-07T08:00:00Z;f@example.com;feature
            """;

        var response = await host.Client.SendAsync(IngestionTestHost.Bulk(csv, "?format=csv&delimiter=;&map=key=Ref,title=Subject,description=Body,priority=Prio,createdAt=Opened,reporterEmail=Email,labels=Tags"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(6, report.GetProperty("rows").GetInt32());
        Assert.Equal(2, report.GetProperty("created").GetInt32());
        Assert.Equal(4, report.GetProperty("failed").GetInt32());
        var errors = report.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("field").GetString())).ToList();
        Assert.Contains((2, "Subject"), errors);
        Assert.Contains((3, "Prio"), errors);
        Assert.Contains((4, "Opened"), errors);
        Assert.Contains(errors, e => e.Item1 == 5);

        var tickets = host.MemoryStore!.All();
        var login = Assert.Single(tickets, t => t.SourceKey == "import:OLD-1");
        Assert.Equal(TicketPriority.High, login.Priority);
        Assert.Equal("Users are sent back to the login page; cookies are set.", login.Description);
        Assert.Equal(new DateTimeOffset(2025, 11, 3, 8, 0, 0, TimeSpan.Zero), login.CreatedAt);
        Assert.Equal(["auth", "login"], login.Labels);
        Assert.Contains(tickets, t => t.SourceKey == "import:OLD-6");
        Assert.StartsWith("bulk/2026-03-02/", Assert.Single(host.Archived("bulk")).Key, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JSON_lines_import_is_idempotent_and_reports_broken_lines()
    {
        await using var host = await IngestionTestHost.StartAsync();
        var lines = new StringBuilder();
        for (var i = 1; i <= 1_200; i++)
        {
            lines.Append(JsonSerializer.Serialize(new { key = $"T-{i}", title = $"Imported ticket {i}", description = "Printer on floor 3 is offline", priority = i % 2 == 0 ? "high" : "low", labels = new[] { "import" } })).Append('\n');
        }
        lines.Append("{ not json\n");
        lines.Append("[1,2]\n");
        var body = lines.ToString();

        var first = await (await host.Client.SendAsync(IngestionTestHost.Bulk(body, "?format=jsonl", "application/x-ndjson"), TestContext.Current.CancellationToken)).Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var second = await (await host.Client.SendAsync(IngestionTestHost.Bulk(body, "", "application/x-ndjson"), TestContext.Current.CancellationToken)).Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(1_200, first.GetProperty("created").GetInt32());
        Assert.Equal(2, first.GetProperty("failed").GetInt32());
        Assert.Equal(0, second.GetProperty("created").GetInt32());
        Assert.Equal(1_200, second.GetProperty("existing").GetInt32());
        Assert.Equal(1_200, host.MemoryStore!.All().Count);
    }

    [Fact]
    public async Task Import_needs_its_token_and_a_known_format()
    {
        await using var host = await IngestionTestHost.StartAsync();
        var ct = TestContext.Current.CancellationToken;

        var noToken = await host.Client.SendAsync(IngestionTestHost.Bulk("title\nx\n", "?format=csv", token: null), ct);
        var badFormat = await host.Client.SendAsync(IngestionTestHost.Bulk("title\nx\n", "?format=xml", "text/plain"), ct);
        var badMap = await host.Client.SendAsync(IngestionTestHost.Bulk("title\nx\n", "?format=csv&map=owner=Who"), ct);

        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badFormat.StatusCode);
        Assert.Contains("\"format\"", await badFormat.Content.ReadAsStringAsync(ct));
        Assert.Equal(HttpStatusCode.BadRequest, badMap.StatusCode);
        Assert.Contains("\"map\"", await badMap.Content.ReadAsStringAsync(ct));
        Assert.Empty(host.MemoryStore!.All());
    }
}
