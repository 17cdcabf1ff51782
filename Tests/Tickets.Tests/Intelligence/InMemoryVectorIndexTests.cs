using AspireTickets.Agents.Intelligence.Similarity;
using AspireTickets.Domain.Similarity;

namespace AspireTickets.Tests.Intelligence;

public class InMemoryVectorIndexTests
{
    private const int Dimensions = 37; // not a multiple of any SIMD width, so the tail path is exercised

    [Fact]
    public async Task Search_returns_the_brute_force_top_k()
    {
        var ct = TestContext.Current.CancellationToken;
        var random = new Random(5);
        var index = new InMemoryVectorIndex(Dimensions);
        var points = Enumerable.Range(0, 300).Select(_ => (Id: Guid.NewGuid(), Vector: RandomUnit(random))).ToList();
        foreach (var (id, vector) in points)
        {
            await index.UpsertAsync(new VectorRecord(id, vector), ct);
        }

        for (var q = 0; q < 10; q++)
        {
            var query = RandomUnit(random);
            var expected = points
                .Select(p => (p.Id, Score: p.Vector.Zip(query, (a, b) => (double)a * b).Sum()))
                .OrderByDescending(p => p.Score)
                .Take(7)
                .ToList();

            var hits = await index.SearchAsync(new VectorSearch(query, TopK: 7), ct);

            Assert.Equal(expected.Select(e => e.Id), hits.Select(h => h.Id));
            Assert.All(hits.Zip(expected), p => Assert.Equal(p.Second.Score, p.First.DenseScore, 4));
        }
    }

    [Fact]
    public async Task Delete_removes_the_point_and_keeps_the_others_searchable()
    {
        var ct = TestContext.Current.CancellationToken;
        var index = new InMemoryVectorIndex(Dimensions);
        var ids = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();
        for (var i = 0; i < ids.Count; i++)
        {
            await index.UpsertAsync(new VectorRecord(ids[i], Axis(i)), ct);
        }

        Assert.True(await index.DeleteAsync(ids[1], ct));
        Assert.False(await index.DeleteAsync(ids[1], ct));

        Assert.Equal(4, index.Count);
        Assert.DoesNotContain(ids[1], (await index.SearchAsync(new VectorSearch(Axis(1), TopK: 10), ct)).Select(h => h.Id));
        // The point moved into the freed slot (the last one) must still be found by its own vector.
        var top = await index.SearchAsync(new VectorSearch(Axis(4), TopK: 1), ct);
        Assert.Equal(ids[4], top[0].Id);
        Assert.Equal(1.0, top[0].DenseScore, 6);
    }

    [Fact]
    public async Task Upsert_replaces_and_filters_apply()
    {
        var ct = TestContext.Current.CancellationToken;
        var index = new InMemoryVectorIndex(Dimensions);
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        await index.UpsertAsync(new VectorRecord(a, Axis(0), Payload: new Dictionary<string, string> { ["status"] = "open" }), ct);
        await index.UpsertAsync(new VectorRecord(b, Axis(0), Payload: new Dictionary<string, string> { ["status"] = "closed" }), ct);
        await index.UpsertAsync(new VectorRecord(a, Axis(2), Payload: new Dictionary<string, string> { ["status"] = "open" }), ct);

        var open = await index.SearchAsync(new VectorSearch(Axis(0), Filter: new VectorFilter(new Dictionary<string, string> { ["status"] = "open" })), ct);
        var notB = await index.SearchAsync(new VectorSearch(Axis(0), Filter: new VectorFilter(ExcludeIds: [b])), ct);

        Assert.Equal(2, index.Count);
        Assert.Equal([a], open.Select(h => h.Id));
        Assert.Equal(0, open[0].DenseScore, 6); // replaced vector is orthogonal to the query
        Assert.Equal([a], notB.Select(h => h.Id));
        await Assert.ThrowsAsync<ArgumentException>(async () => await index.UpsertAsync(new VectorRecord(a, new float[3]), ct));
    }

    [Fact]
    public async Task Sparse_scores_add_to_dense_scores()
    {
        var ct = TestContext.Current.CancellationToken;
        var index = new InMemoryVectorIndex(Dimensions);
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        await index.UpsertAsync(new VectorRecord(a, Axis(0), new SparseVector([3, 9], [1f, 2f])), ct);
        await index.UpsertAsync(new VectorRecord(b, Axis(0), new SparseVector([4], [5f])), ct);

        var hits = await index.SearchAsync(new VectorSearch(Axis(0), new SparseVector([1, 9], [7f, 0.5f])), ct);

        Assert.Equal(a, hits[0].Id);
        Assert.Equal(1.0, hits[0].SparseScore, 6);
        Assert.Equal(2.0, hits[0].Score, 6);
        Assert.Equal(0, hits[1].SparseScore);
    }

    [Fact]
    public async Task Persistence_round_trips_every_point()
    {
        var ct = TestContext.Current.CancellationToken;
        var random = new Random(9);
        var index = new InMemoryVectorIndex(Dimensions);
        for (var i = 0; i < 20; i++)
        {
            await index.UpsertAsync(
                new VectorRecord(Guid.NewGuid(), RandomUnit(random), i % 2 == 0 ? new SparseVector([i], [i * 0.5f]) : null, new Dictionary<string, string> { ["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
                ct);
        }

        using var stream = new MemoryStream();
        await index.SaveAsync(stream, ct);
        stream.Position = 0;
        var loaded = await InMemoryVectorIndex.LoadAsync(stream, ct);

        var query = new VectorSearch(RandomUnit(random), new SparseVector([4], [1f]), TopK: 20);
        var expected = await index.SearchAsync(query, ct);
        var actual = await loaded.SearchAsync(query, ct);
        Assert.Equal(index.Count, loaded.Count);
        Assert.Equal(expected.Select(h => (h.Id, h.DenseScore, h.SparseScore)), actual.Select(h => (h.Id, h.DenseScore, h.SparseScore)));
        Assert.Equal(expected.Select(h => h.Payload["n"]), actual.Select(h => h.Payload["n"]));
    }

    [Fact]
    public async Task Loading_something_else_fails_clearly()
    {
        using var stream = new MemoryStream([1, 2, 3, 4, 5, 6, 7, 8]);
        await Assert.ThrowsAsync<InvalidDataException>(() => InMemoryVectorIndex.LoadAsync(stream, TestContext.Current.CancellationToken));
    }

    private static float[] RandomUnit(Random random)
    {
        var v = Enumerable.Range(0, Dimensions).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => x / norm)];
    }

    private static float[] Axis(int i)
    {
        var v = new float[Dimensions];
        v[i] = 1;
        return v;
    }
}

public class VectorIndexPersistenceTests
{
    [Fact]
    public async Task Index_saved_on_stop_is_loaded_at_start()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Combine(Path.GetTempPath(), $"vectors-{Guid.NewGuid():N}", "vectors.bin");
        var logger = Microsoft.Extensions.Logging.Abstractions.NullLogger<VectorIndexPersistence>.Instance;
        try
        {
            var index = VectorIndexPersistence.LoadOrCreate(path, 8, logger);
            Assert.Equal(0, index.Count);
            var id = Guid.NewGuid();
            await index.UpsertAsync(new VectorRecord(id, new float[] { 1, 0, 0, 0, 0, 0, 0, 0 }), ct);

            await new VectorIndexPersistence(index, path, logger).StopAsync(ct);
            var reloaded = VectorIndexPersistence.LoadOrCreate(path, 8, logger);
            var otherWidth = VectorIndexPersistence.LoadOrCreate(path, 16, logger);

            Assert.Equal(id, Assert.Single(await reloaded.SearchAsync(new VectorSearch(new float[] { 1, 0, 0, 0, 0, 0, 0, 0 }), ct)).Id);
            Assert.Equal(0, otherWidth.Count); // a different embedder width starts empty instead of failing
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }
}
