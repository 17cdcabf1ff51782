using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace AspireTickets.Tests.Api;

/// <summary>Bad input gets RFC 9457 problem details naming the field and the reason, never a 500.</summary>
public sealed class ProblemDetailsTests(ProblemDetailsTests.App app) : IClassFixture<ProblemDetailsTests.App>
{
    public sealed class App : IAsyncLifetime
    {
        public TicketsAppFactory Factory { get; } = new();
        public ValueTask InitializeAsync() => ValueTask.CompletedTask;
        public ValueTask DisposeAsync() => Factory.DisposeAsync();
    }

    private readonly HttpClient _client = app.Factory.CreateApiClient();

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> AssertProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadJsonAsync();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        return problem;
    }

    private static async Task AssertFieldError(HttpResponseMessage response, string field, string reasonFragment)
    {
        var problem = await AssertProblem(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var reasons), $"no error for '{field}' in {errors}");
        Assert.Contains(reasons.EnumerateArray(), r => r.GetString()!.Contains(reasonFragment, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem()
    {
        var response = await _client.PostAsync("/api/tickets", Json("{\"title\": \"Printer\", "), TestContext.Current.CancellationToken);
        var problem = await AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.True(problem.TryGetProperty("errors", out _));
    }

    [Fact]
    public async Task Wrong_type_names_the_field() =>
        await AssertFieldError(await _client.PostAsync("/api/tickets", Json("{\"title\": 5}"), TestContext.Current.CancellationToken), "title", "not valid");

    [Fact]
    public async Task Unknown_enum_value_names_the_field() =>
        await AssertFieldError(await _client.PostAsync("/api/tickets", Json("{\"title\": \"x\", \"priority\": \"Urgent\"}"), TestContext.Current.CancellationToken), "priority", "not valid");

    [Fact]
    public async Task Numeric_enum_values_are_refused() =>
        await AssertFieldError(await _client.PostAsync("/api/tickets", Json("{\"title\": \"x\", \"priority\": 3}"), TestContext.Current.CancellationToken), "priority", "not valid");

    [Fact]
    public async Task Missing_title_names_the_field() =>
        await AssertFieldError(await _client.PostAsJsonAsync("/api/tickets", new { description = "no title" }, TestContext.Current.CancellationToken), "title", "required");

    [Fact]
    public async Task Category_outside_the_taxonomy_names_the_field() =>
        await AssertFieldError(await _client.PostAsJsonAsync("/api/tickets", new { title = "x", category = "astrology" }, TestContext.Current.CancellationToken), "category", "astrology");

    [Fact]
    public async Task Invalid_reporter_email_names_the_field() =>
        await AssertFieldError(await _client.PostAsJsonAsync("/api/tickets", new { title = "x", reporter = new { name = "A", email = "not-an-address" } }, TestContext.Current.CancellationToken), "reporter.email", "not an e-mail");

    [Fact]
    public async Task Unknown_query_values_name_the_parameter()
    {
        await AssertFieldError(await _client.GetAsync("/api/tickets?status=Sleeping", TestContext.Current.CancellationToken), "status", "Sleeping");
        await AssertFieldError(await _client.GetAsync("/api/tickets?pageSize=100000", TestContext.Current.CancellationToken), "pageSize", "1 to 200");
        await AssertFieldError(await _client.GetAsync("/api/tickets?createdFrom=yesterday", TestContext.Current.CancellationToken), "createdFrom", "ISO 8601");
        await AssertFieldError(await _client.GetAsync("/api/analytics/trends?timeZone=Mars/Olympus", TestContext.Current.CancellationToken), "timeZone", "Mars/Olympus");
    }

    [Fact]
    public async Task Body_over_one_megabyte_is_a_413_problem()
    {
        var big = "{\"title\":\"big\",\"description\":\"" + new string('a', 1024 * 1024 + 10) + "\"}";
        var response = await _client.PostAsync("/api/tickets", Json(big), TestContext.Current.CancellationToken);
        await AssertProblem(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Wrong_content_type_is_a_415_problem()
    {
        var response = await _client.PostAsync("/api/tickets", new StringContent("title=x", Encoding.UTF8, "text/plain"), TestContext.Current.CancellationToken);
        await AssertProblem(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Missing_or_wrong_api_key_is_a_401_problem_everywhere_but_health()
    {
        var anonymous = app.Factory.CreateClient();
        foreach (var path in new[] { "/api/tickets", "/api/analytics/summary", $"/api/tickets/{Guid.NewGuid()}/audit" })
        {
            await AssertProblem(await anonymous.GetAsync(path, TestContext.Current.CancellationToken), HttpStatusCode.Unauthorized);
        }
        await AssertProblem(await anonymous.PostAsJsonAsync("/api/tickets", new { title = "x" }, TestContext.Current.CancellationToken), HttpStatusCode.Unauthorized);

        var wrongKey = app.Factory.CreateClient();
        wrongKey.DefaultRequestHeaders.Add("X-Api-Key", TicketsAppFactory.ApiKey + "x");
        await AssertProblem(await wrongKey.GetAsync("/api/tickets", TestContext.Current.CancellationToken), HttpStatusCode.Unauthorized);

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/alive", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Unknown_ticket_is_a_404_problem() =>
        await AssertProblem(await _client.GetAsync($"/api/tickets/{Guid.NewGuid()}", TestContext.Current.CancellationToken), HttpStatusCode.NotFound);

    [Fact]
    public async Task Bad_if_match_names_the_header()
    {
        var created = await (await _client.PostAsJsonAsync("/api/tickets", new { title = "etag" }, TestContext.Current.CancellationToken)).ReadJsonAsync();
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/tickets/{created.GetProperty("id").GetGuid()}") { Content = Json("{\"title\":\"y\"}") };
        request.Headers.TryAddWithoutValidation("If-Match", "\"not-a-version\"");
        await AssertFieldError(await _client.SendAsync(request, TestContext.Current.CancellationToken), "If-Match", "ETag");
    }

    [Fact]
    public async Task Openapi_document_describes_the_ticket_endpoints()
    {
        var document = await (await _client.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken)).ReadJsonAsync();
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/tickets", out _));
        Assert.True(paths.TryGetProperty("/api/tickets/{id}", out _));
        Assert.True(paths.TryGetProperty("/api/analytics/trends", out _));
    }
}
