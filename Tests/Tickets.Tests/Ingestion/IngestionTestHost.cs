using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using AspireTickets.Domain.Storage;
using AspireTickets.Infrastructure.Archive;
using AspireTickets.Ingestion.Extensions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace AspireTickets.Tests.Ingestion;

/// <summary>The ingestion module alone in a TestServer: its own endpoints, a test store, a temp raw archive, a fake clock.</summary>
public sealed class IngestionTestHost : IAsyncDisposable
{
    public const string JiraSecret = "jira-webhook-secret-ÄÖÜ";
    public const string ZendeskSecret = "dGhpc2lzYXplbmRlc2tzZWNyZXQ=";
    public const string SentrySecret = "4f3b3c2f6e2d48a3b7a6c1d2e3f4a5b6";
    public const string AlertmanagerToken = "am-token-0123456789";
    public const string EmailToken = "mail-relay-token";
    public const string BulkToken = "bulk-import-token";

    private readonly WebApplication _app;

    public HttpClient Client { get; }
    public ITicketStore Store { get; }
    public InMemoryTicketStore? MemoryStore => Store as InMemoryTicketStore;
    public FakeTimeProvider Time { get; }
    public string DataDirectory { get; }

    /// <summary>What the raw archive holds for a source, in the order it was written, read from its segment files.</summary>
    public IReadOnlyList<(string Key, byte[] Content)> Archived(string source)
    {
        var folder = Path.Combine(DataDirectory, "raw", source);
        if (!Directory.Exists(folder))
        {
            return [];
        }
        return [.. Directory.GetFiles(folder, "*" + LocalRawArchive.SegmentExtension).Order(StringComparer.Ordinal).SelectMany(path =>
        {
            using var stream = File.Open(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return RawArchiveSegment.ReadRecords(stream).Select(r => (r.Key, r.Content)).ToList();
        })];
    }

    private IngestionTestHost(WebApplication app, ITicketStore store, FakeTimeProvider time, string dataDirectory)
    {
        _app = app;
        Store = store;
        Time = time;
        DataDirectory = dataDirectory;
        Client = app.GetTestClient();
    }

    /// <param name="sqlite">Use the product's embedded SQLite store (as registered by the module) instead of the in-memory one.</param>
    public static async Task<IngestionTestHost> StartAsync(Action<IServiceCollection>? configureServices = null, Dictionary<string, string?>? settings = null, bool sqlite = false)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "aspiretickets-ingest-" + Guid.NewGuid().ToString("N"));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var config = new Dictionary<string, string?>
        {
            ["Tickets:DataDirectory"] = dataDirectory,
            ["Ingestion:Sources:jira:Secret"] = JiraSecret,
            ["Ingestion:Sources:zendesk:Secret"] = ZendeskSecret,
            ["Ingestion:Sources:sentry:Secret"] = SentrySecret,
            ["Ingestion:Sources:alertmanager:Token"] = AlertmanagerToken,
            ["Ingestion:Sources:email:Token"] = EmailToken,
            ["Ingestion:Sources:bulk:Token"] = BulkToken,
            // Tests deliver hundreds of webhooks a second from one address; RateLimitTests cover the limiter.
            ["Tickets:RateLimits:Enabled"] = "false",
        };
        foreach (var (key, value) in settings ?? [])
        {
            config[key] = value;
        }
        builder.Configuration.AddInMemoryCollection(config);

        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero));
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.AddTicketIngestion();
        if (!sqlite)
        {
            builder.Services.AddSingleton<ITicketStore, InMemoryTicketStore>();
        }
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapTicketIngestion();
        await app.StartAsync();
        return new IngestionTestHost(app, app.Services.GetRequiredService<ITicketStore>(), time, dataDirectory);
    }

    public T GetService<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    // --- signed requests, exactly as each vendor signs them ---

    public static HttpRequestMessage Jira(string body, string? secret = JiraSecret)
    {
        var request = Json("/ingest/jira", body);
        if (secret is not null)
        {
            request.Headers.Add("X-Hub-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body))));
        }
        return request;
    }

    public HttpRequestMessage Zendesk(string body, DateTimeOffset? signedAt = null, string secret = ZendeskSecret) =>
        ZendeskSigned(body, signedAt ?? Time.GetUtcNow(), secret);

    public static HttpRequestMessage ZendeskSigned(string body, DateTimeOffset signedAt, string secret = ZendeskSecret)
    {
        var request = Json("/ingest/zendesk", body);
        var timestamp = signedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + body)));
        request.Headers.Add("X-Zendesk-Webhook-Signature", signature);
        request.Headers.Add("X-Zendesk-Webhook-Signature-Timestamp", timestamp);
        return request;
    }

    public HttpRequestMessage Sentry(string body, string resource = "event_alert", DateTimeOffset? signedAt = null, string secret = SentrySecret)
    {
        var request = Json("/ingest/sentry", body);
        request.Headers.Add("Sentry-Hook-Resource", resource);
        request.Headers.Add("Sentry-Hook-Timestamp", (signedAt ?? Time.GetUtcNow()).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("Sentry-Hook-Signature", Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body))));
        return request;
    }

    public static HttpRequestMessage Alertmanager(string body, string? token = AlertmanagerToken)
    {
        var request = Json("/ingest/alertmanager", body);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return request;
    }

    public static HttpRequestMessage Email(string rawMessage, string? token = EmailToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/ingest/email") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(rawMessage)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return request;
    }

    public static HttpRequestMessage Bulk(string content, string query, string contentType = "text/csv", string? token = BulkToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/ingest/bulk" + query) { Content = new StringContent(content, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return request;
    }

    private static HttpRequestMessage Json(string path, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
