using System.Text.Json.Nodes;
using AspireTickets.Domain.Similarity;
using AspireTickets.Infrastructure.Similarity.Qdrant;

namespace AspireTickets.Tests.Similarity;

/// <summary>Each request body the Qdrant adapter builds, checked against Qdrant's OpenAPI v1.19 specification.</summary>
public sealed class QdrantRequestContractTests
{
    private static readonly Uri Base = new("http://127.0.0.1:6333/");

    private static void AssertConforms(HttpMethod method, string path, JsonNode? body)
    {
        // Round-trip through text, as the server sees it.
        var parsed = body is null ? null : JsonNode.Parse(body.ToJsonString());
        Assert.Empty(OpenApiContract.Qdrant.CheckRequest(method, new Uri(Base, path), parsed));
    }

    [Fact]
    public void Collection_with_dense_and_idf_sparse_vectors_conforms()
    {
        var body = QdrantRequests.CreateCollection(384);
        AssertConforms(HttpMethod.Put, "collections/tickets", body);
        Assert.Equal("idf", body["sparse_vectors"]!["sparse"]!["modifier"]!.GetValue<string>());
        Assert.Equal(384, body["vectors"]!["dense"]!["size"]!.GetValue<int>());
        AssertConforms(HttpMethod.Put, "collections/tickets/index?wait=true", QdrantRequests.CreateKeywordIndex("status"));
    }

    [Fact]
    public void Upsert_delete_count_and_queries_conform()
    {
        var record = new VectorRecord(Guid.NewGuid(), new float[] { 0.6f, 0.8f }, SparseVector.From([new(7, 1.5f), new(3, 1f)]), new Dictionary<string, string> { ["status"] = "Resolved" });
        AssertConforms(HttpMethod.Put, "collections/tickets/points?wait=true", QdrantRequests.Upsert([record]));
        AssertConforms(HttpMethod.Post, "collections/tickets/points/delete?wait=true", QdrantRequests.Delete([record.Id]));
        AssertConforms(HttpMethod.Post, "collections/tickets/points/count", QdrantRequests.Count());

        var filter = new VectorFilter(new Dictionary<string, string> { ["status"] = "Resolved", ["category"] = "bug" }, [Guid.NewGuid()]);
        var dense = QdrantRequests.DenseQuery(new float[] { 0.6f, 0.8f }, filter, 10);
        var sparse = QdrantRequests.SparseQuery(record.Sparse!, filter, 10, [record.Id]);
        AssertConforms(HttpMethod.Post, "collections/tickets/points/query", dense);
        AssertConforms(HttpMethod.Post, "collections/tickets/points/query", sparse);
        AssertConforms(HttpMethod.Post, "collections/tickets/points/query/batch", QdrantRequests.Batch(dense, sparse));
        Assert.Equal("dense", dense["using"]!.GetValue<string>());
        Assert.Equal(2, sparse["filter"]!["must"]!.AsArray().Count - 1);
    }

    [Fact]
    public void The_checker_rejects_what_qdrant_would_reject()
    {
        var errors = OpenApiContract.Qdrant.CheckRequest(HttpMethod.Put, new Uri(Base, "collections/tickets/points?wait=true"),
            JsonNode.Parse("""{"points":[{"id":"not-a-uuid","vectorz":{"dense":[1]}}]}"""));
        Assert.NotEmpty(errors);

        Assert.NotEmpty(OpenApiContract.Qdrant.CheckRequest(HttpMethod.Put, new Uri(Base, "collections/tickets"),
            JsonNode.Parse("""{"vectors":{"dense":{"size":3,"distance":"Cosinus"}}}""")));
        Assert.NotEmpty(OpenApiContract.Qdrant.CheckRequest(HttpMethod.Post, new Uri(Base, "collections/tickets/points/query?waitt=true"),
            JsonNode.Parse("""{"query":[1,2],"limit":3}""")));
        Assert.NotEmpty(OpenApiContract.Qdrant.CheckRequest(HttpMethod.Post, new Uri(Base, "collections/tickets/points/serch"), null));
    }

    [Fact]
    public void Connection_string_gives_endpoint_and_key()
    {
        var connection = QdrantConnection.Parse("Endpoint=http://localhost:6333;Key=abc123");
        Assert.Equal((new Uri("http://localhost:6333"), "abc123"), (connection.Endpoint, connection.Key));
        Assert.Throws<FormatException>(() => QdrantConnection.Parse("Key=abc"));
    }
}
