using System.Net;
using System.Security.Cryptography;
using System.Text;
using AspireTickets.Tests.Api;

namespace AspireTickets.Tests.Ingestion;

/// <summary>Ingestion as composed into the embedded product (the Web host with every module).</summary>
public class EmbeddedHostIngestionTests
{
    [Fact]
    public async Task The_Web_host_accepts_a_signed_Jira_webhook_without_an_API_key_and_the_API_sees_the_ticket()
    {
        await using var factory = new TicketsAppFactory();
        factory.Settings["Ingestion:Sources:jira:Secret"] = IngestionTestHost.JiraSecret;
        using var anonymous = factory.CreateClient();
        var ct = TestContext.Current.CancellationToken;

        var response = await anonymous.SendAsync(IngestionTestHost.Jira(Payloads.JiraIssueCreated("EMB-1")), ct);
        var unsigned = await anonymous.SendAsync(IngestionTestHost.Jira(Payloads.JiraIssueCreated("EMB-2"), secret: null), ct);
        var disabled = await anonymous.PostAsync("/ingest/zendesk", new StringContent("{}", Encoding.UTF8, "application/json"), ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, disabled.StatusCode);
        var id = (await response.ReadJsonAsync()).GetProperty("ticketId").GetGuid();
        using var api = factory.CreateApiClient();
        var ticket = await api.GetAsync($"/api/tickets/{id}", ct);
        Assert.Equal(HttpStatusCode.OK, ticket.StatusCode);
        Assert.Contains("EMB-1", await ticket.Content.ReadAsStringAsync(ct));
    }
}
