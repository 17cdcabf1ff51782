using System.Text.Json.Nodes;
using AspireTickets.Agents.Intelligence.Similarity;
using AspireTickets.Agents.Workflow;
using AspireTickets.Domain.Similarity;
using AspireTickets.Infrastructure.Similarity.Qdrant;
using AspireTickets.Tests.Agents;
using Microsoft.Extensions.DependencyInjection;

namespace AspireTickets.Tests.Similarity;

/// <summary>
/// The agents with <c>ConnectionStrings:qdrant_http</c> set: the similarity index must keep its vectors in the registered
/// Qdrant adapter (here talking to the contract-checking emulator), not in an in-process index of its own.
/// </summary>
public sealed class QdrantWorkflowTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_the_connection_string_the_index_is_in_process()
    {
        await using var app = await AgentsHarness.StartAsync();

        Assert.IsType<InMemoryVectorIndex>(app.Get<IVectorIndex>());
    }

    [Fact]
    public async Task The_workflow_indexes_through_qdrant_and_finds_the_duplicate_through_it()
    {
        var qdrant = new QdrantEmulator(OpenApiContract.Qdrant, apiKey: "secret-key");
        await using var app = await AgentsHarness.StartAsync(
            new() { ["ConnectionStrings:qdrant_http"] = "Endpoint=http://127.0.0.1:6333;Key=secret-key" },
            services => services.AddHttpClient(QdrantExtensions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => qdrant));
        Assert.IsType<QdrantVectorIndex>(app.Get<IVectorIndex>());

        var original = await app.CreateAsync("VPN disconnects every 10 minutes on Windows 11", "After the latest client update the VPN tunnel drops every ten minutes and reconnects.");
        await app.CreateAsync("Dark mode for the dashboard", "Please add a dark theme.");
        await app.CreateAsync("Invoice PDF is blank", "The exported invoice has no lines.");
        // Stored but not indexed yet: the run itself must index it (through Qdrant) once it is analyzed.
        var duplicate = await app.CreateAsync("VPN disconnects every 10 minutes on Windows 11", "After the latest client update the VPN tunnel drops every ten minutes and reconnects.", index: false);
        var upsertsBefore = Upserts(qdrant).Count;

        var run = await app.Workflow.RunAsync(duplicate.Id, WorkflowTriggers.Api, ct: Ct);

        Assert.Equal(WorkflowRunStatus.Succeeded, run.Status);
        Assert.Equal(original.Id, (await app.Store.GetAsync(duplicate.Id, Ct))!.DuplicateOf);
        // The candidates came from Qdrant's query endpoint…
        Assert.Contains(qdrant.Requests, r => r.Method == HttpMethod.Post && r.Path.EndsWith("/points/query", StringComparison.Ordinal));
        // …and the run's indexing of the new ticket was a valid upsert of its dense vector.
        var upsert = Assert.Single(Upserts(qdrant).Skip(upsertsBefore));
        var point = Assert.Single(upsert["points"]!.AsArray())!;
        Assert.Equal(duplicate.Id.ToString(), point["id"]!.GetValue<string>());
        Assert.Equal(new LocalEmbeddingOptions().Dimensions, point["vector"]!["dense"]!.AsArray().Count);
        Assert.Equal(4, await app.Get<IVectorIndex>().CountAsync(Ct));
        Assert.Empty(qdrant.ContractViolations);
    }

    private static List<JsonNode> Upserts(QdrantEmulator qdrant) =>
        [.. qdrant.Requests.Where(r => r.Method == HttpMethod.Put && r.Path.Contains("/points", StringComparison.Ordinal) && r.Body is not null).Select(r => JsonNode.Parse(r.Body!)!)];
}
