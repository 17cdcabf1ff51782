using System.Net;
using System.Net.Http.Json;
using AspireTickets.Infrastructure.Auth;

namespace AspireTickets.Tests.Api;

/// <summary>
/// Issue 17 item 7: per client (API key, person through the Web, or anonymous address) and per address, 429 with
/// Retry-After. The buckets here are tiny and refill once an hour, so each test counts exactly.
/// </summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private const string OtherKey = "other-key-9876543210";
    private const string ServiceKey = "service-key-for-tests-0123456789";

    private readonly TicketsAppFactory _app = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        var settings = _app.Settings;
        settings["Tickets:RateLimits:Enabled"] = "true";
        foreach (var (bucket, tokens) in new[] { ("Client", 3), ("Address", 5), ("Ingest", 2) })
        {
            settings[$"Tickets:RateLimits:{bucket}:TokenLimit"] = tokens.ToString();
            settings[$"Tickets:RateLimits:{bucket}:TokensPerPeriod"] = tokens.ToString();
            settings[$"Tickets:RateLimits:{bucket}:Period"] = "01:00:00";
        }
        settings["Auth:ApiKeys:other"] = OtherKey;
        settings["Auth:ServiceKey"] = ServiceKey;
        settings["Auth:BootstrapAdmin:UserName"] = "root";
        settings["Auth:BootstrapAdmin:Password"] = "root-password-1";
        settings["Ingestion:Sources:alertmanager:Token"] = "am-token-0123456789";
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task A_noisy_api_key_is_refused_with_retry_after_while_another_key_is_served()
    {
        var noisy = _app.CreateApiClient();
        var quiet = Client(("X-Api-Key", OtherKey));

        var allowed = await StatusesAsync(noisy, "/api/tickets", 3);
        var refused = await noisy.GetAsync("/api/tickets", Ct);
        var other = await quiet.GetAsync("/api/tickets", Ct);

        Assert.All(allowed, status => Assert.Equal(HttpStatusCode.OK, status));
        await AssertTooManyAsync(refused);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task One_address_cannot_escape_its_bucket_by_sending_a_new_key_each_time()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            var response = await Client(("X-Api-Key", $"made-up-key-{i}")).GetAsync("/api/tickets", Ct);
            statuses.Add(response.StatusCode);
            if (i == 5)
            {
                await AssertTooManyAsync(response);
            }
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), statuses.Take(5));
    }

    [Fact]
    public async Task People_acting_through_the_web_have_buckets_of_their_own_and_share_no_address_bucket()
    {
        var root = Client((WebServiceKey.HeaderName, ServiceKey), (WebServiceKey.UserHeaderName, "root"));
        var created = await root.PostAsJsonAsync("/api/users", new { userName = "alice", displayName = "Alice", role = "agent", password = "password-alice" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var alice = Client((WebServiceKey.HeaderName, ServiceKey), (WebServiceKey.UserHeaderName, "alice"));

        var rootAllowed = await StatusesAsync(root, "/api/tickets", 2);
        var rootRefused = await root.GetAsync("/api/tickets", Ct);
        var aliceAllowed = await StatusesAsync(alice, "/api/tickets", 3);

        // Seven requests from one address, over its bucket of five: the Web's calls are not counted there.
        Assert.All(rootAllowed.Concat(aliceAllowed), status => Assert.Equal(HttpStatusCode.OK, status));
        await AssertTooManyAsync(rootRefused);
    }

    [Fact]
    public async Task A_forged_service_key_does_not_buy_a_bucket_per_made_up_person()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            var forged = Client((WebServiceKey.HeaderName, "not-the-service-key"), (WebServiceKey.UserHeaderName, $"person-{i}"));
            statuses.Add((await forged.GetAsync("/api/tickets", Ct)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[5]);
    }

    [Fact]
    public async Task Webhook_deliveries_are_limited_per_address()
    {
        var sender = Client(("Authorization", "Bearer am-token-0123456789"));

        var first = await StatusesAsync(sender, "/ingest/alertmanager", 2, post: true);
        var third = await sender.PostAsync("/ingest/alertmanager", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, first);
        await AssertTooManyAsync(third);
    }

    [Fact]
    public async Task Health_probes_and_pages_are_not_limited()
    {
        var client = _app.CreateClient();

        var health = await StatusesAsync(client, "/health", 20);
        var alive = await StatusesAsync(client, "/alive", 20);

        Assert.All(health.Concat(alive), status => Assert.Equal(HttpStatusCode.OK, status));
    }

    private HttpClient Client(params (string Name, string Value)[] headers)
    {
        var client = _app.CreateClient();
        foreach (var (name, value) in headers)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation(name, value);
        }
        return client;
    }

    private static async Task<List<HttpStatusCode>> StatusesAsync(HttpClient client, string path, int count, bool post = false)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            var response = post
                ? await client.PostAsync(path, new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), Ct)
                : await client.GetAsync(path, Ct);
            statuses.Add(response.StatusCode);
        }
        return statuses;
    }

    private static async Task AssertTooManyAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.True(retryAfter >= TimeSpan.FromSeconds(1), $"Retry-After {retryAfter}");
        Assert.Equal(429, (await response.ReadJsonAsync()).GetProperty("status").GetInt32());
    }
}
