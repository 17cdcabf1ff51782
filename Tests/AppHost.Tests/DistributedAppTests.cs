using System.Net.Http.Json;
using System.Text.Json;

namespace AspireTickets.AppHost.Tests;

public sealed class DistributedAppTests(DistributedAppFixture app) : IClassFixture<DistributedAppFixture>
{
    private void SkipWithoutDocker()
    {
        if (app.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }
    }

    [Fact]
    public async Task Api_reports_healthy_with_MongoDB_Kafka_Qdrant_and_Redis_behind_it()
    {
        SkipWithoutDocker();

        using var response = await app.Api.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Tickets_are_listed_with_the_api_key()
    {
        SkipWithoutDocker();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/tickets");
        request.Headers.Add("X-Api-Key", DistributedAppFixture.ApiKey);
        using var response = await app.Api.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = await response.Content.ReadFromJsonAsync<JsonDocument>(TestContext.Current.CancellationToken);
        Assert.NotNull(body);
    }

    [Fact]
    public async Task Tickets_are_refused_without_the_api_key()
    {
        SkipWithoutDocker();

        using var response = await app.Api.GetAsync(new Uri("/api/tickets", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
