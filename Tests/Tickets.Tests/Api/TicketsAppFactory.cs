using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AspireTickets.Tests.Api;

/// <summary>
/// The embedded product (the Web host with every module) on a fresh SQLite data folder, with one API key
/// and a fake clock. Each factory owns its folder and deletes it when disposed.
/// </summary>
public sealed class TicketsAppFactory : WebApplicationFactory<Program>
{
    public const string ApiKey = "test-key-0123456789";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "aspiretickets-tests", Guid.NewGuid().ToString("n"));

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    /// <summary>
    /// Extra configuration. The agents' workflow is off by default: it analyzes (and so rewrites) every new ticket right
    /// after it is created, which tests of the API's own behaviour (versions, audit trails) must not race with. Tests of
    /// the workflow set <c>Agents:Workflow:ConsumeEvents</c> to true. Triage models read n-grams only: the sentence
    /// encoder has tests of its own (<c>TriageEncoderTests</c>), and would add seconds to every retrain here.
    /// </summary>
    public Dictionary<string, string?> Settings { get; } = new()
    {
        ["Agents:Workflow:ConsumeEvents"] = "false",
        ["Agents:Triage:Encoder"] = "None",
        // Tests send hundreds of requests a second from one address; RateLimitTests switch the limiter on.
        ["Tickets:RateLimits:Enabled"] = "false",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Tickets:DataDirectory", DataDirectory);
        builder.UseSetting("Auth:ApiKeys:tests", ApiKey);
        // Tests that advance the clock by hours must not see escalations they did not ask for; escalation tests switch it on.
        builder.UseSetting("Tickets:Escalation:Schedule", "false");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
    }

    /// <summary>A client that sends the API key.</summary>
    public HttpClient CreateApiClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        // A background writer of the stopped host may still be closing a file; cleaning a temp folder is
        // worth a few retries but never a failed test.
        for (var attempt = 1; attempt <= 5 && Directory.Exists(DataDirectory); attempt++)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException) when (attempt < 5)
            {
                await Task.Delay(100 * attempt);
            }
            catch (IOException)
            {
            }
        }
    }
}

public static class HttpJson
{
    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(TicketsAppFactory.Json))!;

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(TicketsAppFactory.Json);
}
