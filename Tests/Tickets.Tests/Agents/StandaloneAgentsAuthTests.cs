using System.Net;
using System.Net.Http.Json;
using AspireTickets.Agents.Extensions;
using AspireTickets.Domain.Users;
using AspireTickets.Infrastructure.Auth;
using AspireTickets.Tests.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AspireTickets.Tests.Agents;

/// <summary>
/// The Agents service as the distributed run starts it (Agents/Program.cs: <c>AddTicketAgents</c> + <c>UseTicketAgents</c>),
/// with no Api module in the process: it must authenticate API keys, stored API keys and the Web's service key itself
/// and apply the same roles.
/// </summary>
public sealed class StandaloneAgentsAuthTests : IAsyncLifetime
{
    private const string ApiKey = "agents-test-key-0123456789";
    private const string ServiceKey = "service-key-for-tests-0123456789";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "aspiretickets-tests", Guid.NewGuid().ToString("n"));
    private WebApplication _app = null!;
    private string _storedKey = "";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly object Article = new { title = "VPN", body = "# Connect\nInstall the client.", tags = new[] { "vpn" } };

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tickets:DataDirectory"] = _dataDirectory,
            ["Auth:ApiKeys:tests"] = ApiKey,
            ["Auth:ServiceKey"] = ServiceKey,
            ["Agents:Workflow:ConsumeEvents"] = "false",
            ["Agents:Triage:Encoder"] = "None",
        });
        builder.AddTicketAgents();
        _app = builder.Build();
        _app.UseTicketAgents();
        await _app.StartAsync(Ct);

        // Users and API keys are the Api's records in the shared document store; here they are written directly.
        var users = _app.Services.GetRequiredService<UserDirectory>();
        Assert.True(await users.CreateAsync("alice", null, StaffRoles.Agent, "password-alice", Ct));
        Assert.True(await users.CreateAsync("lena", null, StaffRoles.Lead, "password-lena", Ct));
        _storedKey = (await _app.Services.GetRequiredService<StoredApiKeys>().CreateAsync("zendesk-sync", "root", Ct)).Secret;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private HttpClient Client(params (string Header, string Value)[] headers)
    {
        var client = _app.GetTestClient();
        foreach (var (header, value) in headers)
        {
            client.DefaultRequestHeaders.Add(header, value);
        }
        return client;
    }

    private HttpClient As(string? user) => user is null
        ? Client((WebServiceKey.HeaderName, ServiceKey))
        : Client((WebServiceKey.HeaderName, ServiceKey), (WebServiceKey.UserHeaderName, user));

    [Theory]
    [InlineData("/api/agents/health")]
    [InlineData("/api/kb")]
    [InlineData("/api/workflows/6c1f4cb2-8c4e-4a53-9a1e-3b7f0d2b1a10")]
    public async Task Without_credentials_the_service_answers_401_with_problem_details(string path)
    {
        var response = await Client().GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Configured_and_stored_api_keys_are_accepted_and_wrong_ones_refused()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client(("X-Api-Key", ApiKey)).GetAsync("/api/agents/health", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client(("X-Api-Key", _storedKey)).GetAsync("/api/agents/health", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client(("X-Api-Key", "not-a-key")).GetAsync("/api/agents/health", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client((WebServiceKey.HeaderName, "wrong"), (WebServiceKey.UserHeaderName, "lena")).GetAsync("/api/kb", Ct)).StatusCode);
    }

    [Fact]
    public async Task Agents_read_and_rerun_but_only_leads_write_the_knowledge_base()
    {
        var agent = As("alice");
        var lead = As("lena");

        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/api/kb", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/api/agents/health", Ct)).StatusCode);
        // Past authorization: the ticket does not exist (a forbidden call would be 403).
        Assert.Equal(HttpStatusCode.NotFound, (await agent.PostAsync($"/api/tickets/{Guid.NewGuid()}/workflow", null, Ct)).StatusCode);
        var denied = await agent.PostAsJsonAsync("/api/kb", Article, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal("application/problem+json", denied.Content.Headers.ContentType?.MediaType);
        // The Web alone (no person named) may not read staff data.
        Assert.Equal(HttpStatusCode.Forbidden, (await As(null).GetAsync("/api/kb", Ct)).StatusCode);

        var created = await lead.PostAsJsonAsync("/api/kb", Article, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var article = await created.ReadJsonAsync();
        var id = article.GetProperty("id").GetGuid();
        Assert.Equal("lena", article.GetProperty("updatedBy").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.DeleteAsync($"/api/kb/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await lead.DeleteAsync($"/api/kb/{id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Registering_from_both_modules_adds_the_scheme_once()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddTicketsAuthentication();
        builder.AddTicketsAuthentication();
        using var host = builder.Build();

        var schemes = await host.Services.GetRequiredService<IAuthenticationSchemeProvider>().GetAllSchemesAsync();

        Assert.Equal([ApiKeyAuthenticationHandler.SchemeName], schemes.Select(s => s.Name));
    }
}
