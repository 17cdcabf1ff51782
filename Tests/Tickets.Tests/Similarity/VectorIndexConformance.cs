using AspireTickets.Domain.Similarity;

namespace AspireTickets.Tests.Similarity;

/// <summary>What every <see cref="IVectorIndex"/> adapter must do: upsert, delete, count, dense / sparse / hybrid search with filters.</summary>
public abstract class VectorIndexConformance
{
    protected const int Dimensions = 8;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A fresh, empty index.</summary>
    protected abstract Task<IVectorIndex> CreateIndexAsync();

    protected static float[] Unit(params (int Index, float Value)[] entries)
    {
        var vector = new float[Dimensions];
        foreach (var (index, value) in entries)
        {
            vector[index] = value;
        }
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        return [.. vector.Select(v => v / norm)];
    }

    private static readonly Guid A = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid B = Guid.Parse("00000000-0000-0000-0000-00000000000b");
    private static readonly Guid C = Guid.Parse("00000000-0000-0000-0000-00000000000c");

    private async Task<IVectorIndex> SeededAsync()
    {
        var index = await CreateIndexAsync();
        await index.UpsertAsync(new VectorRecord(A, Unit((0, 1)), SparseVector.From([new(1, 1f), new(2, 1f)]), new Dictionary<string, string> { ["status"] = "Resolved", ["category"] = "bug" }), Ct);
        await index.UpsertAsync(new VectorRecord(B, Unit((0, 1), (1, 1)), SparseVector.From([new(2, 1f), new(3, 1f)]), new Dictionary<string, string> { ["status"] = "New", ["category"] = "bug" }), Ct);
        await index.UpsertAsync(new VectorRecord(C, Unit((1, 1)), SparseVector.From([new(4, 1f)]), new Dictionary<string, string> { ["status"] = "Resolved", ["category"] = "billing" }), Ct);
        return index;
    }

    [Fact]
    public async Task Dense_search_ranks_by_similarity_and_reports_payload()
    {
        var index = await SeededAsync();
        var hits = await index.SearchAsync(new VectorSearch(Unit((0, 1)), TopK: 3), Ct);
        Assert.Equal([A, B, C], hits.Select(h => h.Id));
        Assert.Equal(1.0, hits[0].DenseScore, 3);
        Assert.Equal(Math.Sqrt(0.5), hits[1].DenseScore, 3);
        Assert.Equal("bug", hits[0].Payload["category"]);
        Assert.Equal(3, await index.CountAsync(Ct));
    }

    [Fact]
    public async Task Filters_match_payload_and_exclude_ids()
    {
        var index = await SeededAsync();
        var resolved = await index.SearchAsync(new VectorSearch(Unit((0, 1)), Filter: new VectorFilter(new Dictionary<string, string> { ["status"] = "Resolved" }), TopK: 5), Ct);
        Assert.Equal([A, C], resolved.Select(h => h.Id));

        var excluded = await index.SearchAsync(new VectorSearch(Unit((0, 1)), Filter: new VectorFilter(ExcludeIds: [A]), TopK: 5), Ct);
        Assert.Equal([B, C], excluded.Select(h => h.Id));
    }

    [Fact]
    public async Task Hybrid_search_reports_both_scores_and_ranks_by_their_sum()
    {
        var index = await SeededAsync();
        // Dense favours A; the sparse term 3 only B has, so B's sum overtakes.
        var hits = await index.SearchAsync(new VectorSearch(Unit((0, 1)), SparseVector.From([new(3, 5f)]), TopK: 3), Ct);
        Assert.Equal(B, hits[0].Id);
        Assert.True(hits[0].SparseScore > 0);
        Assert.True(hits[0].DenseScore > 0);
        Assert.All(hits.Skip(1), h => Assert.Equal(0, h.SparseScore));
        Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Score >= p.Second.Score));
    }

    [Fact]
    public async Task Upsert_replaces_and_delete_removes()
    {
        var index = await SeededAsync();
        await index.UpsertAsync(new VectorRecord(C, Unit((0, 1)), null, new Dictionary<string, string> { ["status"] = "Closed" }), Ct);
        var hits = await index.SearchAsync(new VectorSearch(Unit((0, 1)), TopK: 2), Ct);
        Assert.Contains(C, hits.Select(h => h.Id));
        Assert.Equal(3, await index.CountAsync(Ct));

        Assert.True(await index.DeleteAsync(C, Ct));
        Assert.False(await index.DeleteAsync(C, Ct));
        Assert.Equal(2, await index.CountAsync(Ct));
        Assert.DoesNotContain(C, (await index.SearchAsync(new VectorSearch(Unit((0, 1)), TopK: 5), Ct)).Select(h => h.Id));
    }

    [Fact]
    public async Task Wrong_dimensions_are_refused()
    {
        var index = await CreateIndexAsync();
        await Assert.ThrowsAsync<ArgumentException>(async () => await index.UpsertAsync(new VectorRecord(A, new float[Dimensions + 1]), Ct));
    }
}
