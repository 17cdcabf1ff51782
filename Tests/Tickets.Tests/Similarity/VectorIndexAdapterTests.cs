using AspireTickets.Agents.Intelligence.Similarity;
using AspireTickets.Domain.Similarity;
using AspireTickets.Infrastructure.Similarity.Qdrant;

namespace AspireTickets.Tests.Similarity;

public sealed class InMemoryVectorIndexConformanceTests : VectorIndexConformance
{
    protected override Task<IVectorIndex> CreateIndexAsync() => Task.FromResult<IVectorIndex>(new InMemoryVectorIndex(Dimensions));
}

/// <summary>The Qdrant adapter against the contract-checking double: its logic, and every request it sends, must conform.</summary>
public sealed class QdrantVectorIndexContractTests : VectorIndexConformance, IDisposable
{
    private readonly QdrantEmulator _qdrant = new(OpenApiContract.Qdrant, apiKey: "secret-key");

    protected override Task<IVectorIndex> CreateIndexAsync()
    {
        var http = new HttpClient(_qdrant, disposeHandler: false) { BaseAddress = new Uri("http://127.0.0.1:6333/") };
        http.DefaultRequestHeaders.Add("api-key", "secret-key");
        return Task.FromResult<IVectorIndex>(new QdrantVectorIndex(http, new QdrantOptions { Collection = "tickets_" + Guid.NewGuid().ToString("n")[..8] }, Dimensions));
    }

    public void Dispose()
    {
        // Every request of every test of this class must have matched the specification.
        Assert.Empty(_qdrant.ContractViolations);
        _qdrant.Dispose();
    }
}

/// <summary>The conformance suite against a real Qdrant given by TICKETS_TEST_QDRANT (its REST URL).</summary>
public sealed class QdrantVectorIndexServerTests : VectorIndexConformance
{
    private static readonly string? Url = Environment.GetEnvironmentVariable("TICKETS_TEST_QDRANT");

    protected override Task<IVectorIndex> CreateIndexAsync()
    {
        Assert.SkipWhen(string.IsNullOrWhiteSpace(Url), "skipped: no Qdrant at TICKETS_TEST_QDRANT");
        var connection = QdrantConnection.Parse(Url!.Contains('=', StringComparison.Ordinal) ? Url : $"Endpoint={Url}");
        var http = new HttpClient { BaseAddress = new Uri(connection.Endpoint.ToString().TrimEnd('/') + "/") };
        if (connection.Key is not null)
        {
            http.DefaultRequestHeaders.Add("api-key", connection.Key);
        }
        return Task.FromResult<IVectorIndex>(new QdrantVectorIndex(http, new QdrantOptions { Collection = "aspiretickets_test_" + Guid.NewGuid().ToString("n")[..8] }, Dimensions));
    }
}
