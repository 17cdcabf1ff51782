using System.Net;
using System.Net.Http.Json;
using AspireTickets.Tests.Api;

namespace AspireTickets.Tests.Agents;

public sealed class KnowledgeBaseApiTests : ApiTestBase
{
    [Fact]
    public async Task The_list_filtered_by_q_has_the_articles_with_every_word_title_matches_first()
    {
        var vpn = await CreateAsync("VPN drops every hour", "# VPN\n\n## Reconnects\n\nRenew the client certificate, then reconnect.", "network");
        var certificates = await CreateAsync("Client certificates", "# Certificates\n\n## Renewal\n\nA VPN client certificate expires after a year; renew it in the portal.", "security");
        var invoices = await CreateAsync("Invoices and VAT", "# Invoices\n\n## Corrections\n\nDownload the corrected invoice under Billing.", "billing");

        var all = await ListAsync("/api/kb");
        var matching = await ListAsync("/api/kb?q=vpn");
        var byTag = await ListAsync("/api/kb?q=BILLING");
        var everyWord = await ListAsync("/api/kb?q=renew%20portal");

        Assert.Equal(3, all.Count);
        Assert.Equal(vpn, matching[0]);
        Assert.Contains(certificates, matching);
        Assert.DoesNotContain(invoices, matching);
        Assert.Equal([invoices], byTag);
        Assert.Equal([certificates], everyWord);
        var tooLong = await Client.GetAsync("/api/kb?q=" + new string('x', 2001), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.True((await tooLong.ReadJsonAsync()).GetProperty("errors").TryGetProperty("q", out _));
    }

    private async Task<string> CreateAsync(string title, string body, string tag)
    {
        var response = await Client.PostAsJsonAsync("/api/kb", new { title, body, tags = new[] { tag } }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("id").GetString()!;
    }

    private async Task<List<string>> ListAsync(string url) =>
        [.. (await (await Client.GetAsync(url, Ct)).ReadJsonAsync()).EnumerateArray().Select(a => a.GetProperty("id").GetString()!)];
}
