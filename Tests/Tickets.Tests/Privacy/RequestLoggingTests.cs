using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using AspireTickets.ServiceDefaults.Requests;
using AspireTickets.Tests.Api;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace AspireTickets.Tests.Privacy;

/// <summary>
/// Issue 17 item 10: query strings carry personal data (<c>?q=</c> an e-mail address, <c>?assignee=</c> a name) and
/// must not reach a log line or a trace. The product is started with every log category at Trace, so that nothing
/// is hidden by a log level the operator could change.
/// </summary>
public sealed class RequestLoggingTests : IAsyncLifetime
{
    private const string Email = "jane.doe@example.com";
    private const string Name = "Jane Quentin Doe";
    private static readonly string Query = $"?q={Uri.EscapeDataString(Email)}&assignee={Uri.EscapeDataString(Name)}";

    private readonly TicketsAppFactory _app = new();
    private readonly ConcurrentQueue<Activity> _activities = new();
    private readonly ActivityListener _listener;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public RequestLoggingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _activities.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_search_is_logged_and_traced_by_its_path_without_the_query()
    {
        await using var app = _app.WithWebHostBuilder(web =>
        {
            web.UseSetting("Logging:LogLevel:Default", "Trace");
            web.UseSetting("Logging:LogLevel:Microsoft", "Trace");
            web.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Trace");
            web.ConfigureLogging(logging => logging.AddFakeLogging());
        });
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", TicketsAppFactory.ApiKey);

        // Other tests run in parallel and have activities too: this request's are those of its own trace.
        var trace = ActivityTraceId.CreateRandom();
        using var search = new HttpRequestMessage(HttpMethod.Get, "/api/tickets" + Query);
        search.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        var response = await client.SendAsync(search, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var logs = app.Services.GetFakeLogCollector().GetSnapshot();
        AssertNoPersonalData(logs.Select(Describe), "log");
        var requestLine = Assert.Single(logs, log => log.Category?.StartsWith("Microsoft.AspNetCore.HttpLogging") == true
            && log.Message.Contains("/api/tickets"));
        Assert.Contains("200", requestLine.Message);

        var traced = _activities.Where(a => a.TraceId == trace).ToList();
        Assert.Single(traced, a => a.Source.Name == "Microsoft.AspNetCore");
        AssertNoPersonalData(traced.Select(Describe), "trace");
        Assert.DoesNotContain(logs, log => log.Category == RequestLogging.HostingDiagnosticsCategory && log.Level < LogLevel.Warning);
    }

    [Fact]
    public async Task An_outgoing_call_with_a_query_is_logged_without_it()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        services.AddHttpClient("probe").ConfigurePrimaryHttpMessageHandler(() => new AnswerOk());
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("probe");
        await client.GetAsync("http://api.invalid/api/tickets" + Query, Ct);

        var logs = provider.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(logs, log => log.Message.Contains("api.invalid/api/tickets"));
        AssertNoPersonalData(logs.Select(Describe), "log");
    }

    private static void AssertNoPersonalData(IEnumerable<string> records, string kind)
    {
        foreach (var record in records)
        {
            foreach (var secret in new[] { Email, Uri.EscapeDataString(Email), Name, Uri.EscapeDataString(Name), "jane.doe" })
            {
                Assert.False(record.Contains(secret, StringComparison.OrdinalIgnoreCase), $"a {kind} holds '{secret}': {record}");
            }
        }
    }

    private static string Describe(FakeLogRecord log) =>
        $"{log.Category} {log.Message} {string.Join(' ', log.StructuredState?.Select(p => $"{p.Key}={p.Value}") ?? [])} "
        + string.Join(' ', log.Scopes.Select(s => s?.ToString()));

    private static string Describe(Activity activity) =>
        $"{activity.Source.Name} {activity.DisplayName} {string.Join(' ', activity.TagObjects.Select(t => $"{t.Key}={t.Value}"))}";

    private sealed class AnswerOk : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
    }
}
