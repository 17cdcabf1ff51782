using System.Net;
using System.Text;
using AspireTickets.Web.Services;
using Microsoft.Extensions.Configuration;

namespace AspireTickets.Tests.Web;

/// <summary>
/// In the distributed run the agents' endpoints live in the agents service, not the api; the Web's client must send
/// workflow, agents-health and knowledge-base calls there, and everything else to the api.
/// </summary>
public sealed class AgentsRoutingTests
{
    private static IConfiguration Configuration(params string[] services) => new ConfigurationBuilder()
        .AddInMemoryCollection(services.Select(s => new KeyValuePair<string, string?>($"services:{s}:http:0", $"http://{s}-host:5000")))
        .Build();

    [Fact]
    public void The_agents_service_is_used_only_when_the_AppHost_linked_it_in_a_distributed_run()
    {
        Assert.Equal(new Uri("https+http://agents"), ApiEndpoint.AgentsServiceAddress(Configuration("api", "agents")));
        Assert.Null(ApiEndpoint.AgentsServiceAddress(Configuration("api")));
        // Embedded (no api link): every module is in this process, whatever else is configured.
        Assert.Null(ApiEndpoint.AgentsServiceAddress(Configuration()));
        Assert.Null(ApiEndpoint.AgentsServiceAddress(Configuration("agents")));
    }

    [Theory]
    [InlineData("api/workflows/6c1f4cb2-8c4e-4a53-9a1e-3b7f0d2b1a10", true)]
    [InlineData("api/tickets/6c1f4cb2-8c4e-4a53-9a1e-3b7f0d2b1a10/workflows", true)]
    [InlineData("api/tickets/6c1f4cb2-8c4e-4a53-9a1e-3b7f0d2b1a10/workflow", true)]
    [InlineData("api/agents/health", true)]
    [InlineData("api/agents/models", true)]
    [InlineData("api/agents/models/model-20260504080000-n200/activate", true)]
    [InlineData("api/kb", true)]
    [InlineData("api/kb?q=vpn", true)]
    [InlineData("api/kb/6c1f4cb2-8c4e-4a53-9a1e-3b7f0d2b1a10", true)]
    [InlineData("api/tickets/6c1f4cb2-8c4e-4a53-9a1e-3b7f0d2b1a10", false)]
    [InlineData("api/tickets?q=workflow", false)]
    [InlineData("api/tickets/6c1f4cb2-8c4e-4a53-9a1e-3b7f0d2b1a10/audit", false)]
    [InlineData("api/kbx", false)]
    [InlineData("api/dead-letters", false)]
    [InlineData("api/users", false)]
    public void Agents_paths_are_told_apart_from_api_paths(string path, bool agents) =>
        Assert.Equal(agents, ApiEndpoint.IsAgentsPath(path));

    [Fact]
    public async Task The_client_sends_agents_calls_to_the_agents_service_and_the_rest_to_the_api()
    {
        var recorder = new Recorder();
        var client = Client(recorder, new AgentsRoute(new Uri("http://agents.test/")));
        var id = Guid.NewGuid();

        await client.GetAgentsHealthAsync(TestContext.Current.CancellationToken);
        await client.GetWorkflowRunsAsync(id, TestContext.Current.CancellationToken);
        await client.RerunWorkflowAsync(id, TestContext.Current.CancellationToken);
        await client.SearchArticlesAsync("vpn", TestContext.Current.CancellationToken);
        await client.GetAuditTrailAsync(id, TestContext.Current.CancellationToken);
        await client.GetDeadLettersAsync(TestContext.Current.CancellationToken);

        Assert.Equal(
            [
                "http://agents.test/api/agents/health",
                $"http://agents.test/api/tickets/{id}/workflows",
                $"http://agents.test/api/tickets/{id}/workflow",
                "http://agents.test/api/kb?q=vpn",
                $"http://api.test/api/tickets/{id}/audit",
                "http://api.test/api/dead-letters",
            ],
            recorder.Uris);
    }

    [Fact]
    public async Task Without_an_agents_service_every_call_goes_to_the_base_address()
    {
        var recorder = new Recorder();
        var client = Client(recorder, new AgentsRoute(null));

        await client.GetAgentsHealthAsync(TestContext.Current.CancellationToken);
        await client.SearchArticlesAsync(null, TestContext.Current.CancellationToken);

        Assert.Equal(["http://api.test/api/agents/health", "http://api.test/api/kb"], recorder.Uris);
    }

    private static TicketsApiClient Client(Recorder recorder, AgentsRoute agents)
    {
        var authentication = new TestAuthenticationStateProvider();
        authentication.SignIn("pat", "agent");
        return new TicketsApiClient(new HttpClient(recorder) { BaseAddress = new Uri("http://api.test/") }, authentication, new ApiCredentials(() => "service-key"), agents);
    }

    private sealed class Recorder : HttpMessageHandler
    {
        public List<string> Uris { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Uris.Add(request.RequestUri!.ToString());
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("[]", Encoding.UTF8, "application/json") });
        }
    }
}
