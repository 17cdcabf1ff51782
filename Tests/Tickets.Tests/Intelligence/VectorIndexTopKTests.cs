using AspireTickets.Agents.Intelligence.Similarity;
using AspireTickets.Domain.Similarity;

namespace AspireTickets.Tests.Intelligence;

/// <summary>
/// The exact scan's top-k selection against a brute-force reference (full sort by score, ties by id), over more points
/// than one scan block so block boundaries are crossed, with ties, k larger than the index, filters and candidate lists.
/// </summary>
public class VectorIndexTopKTests
{
    private const int Dimensions = 19;
    private const int Points = 700; // more than one 256-row block, not a multiple of it

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(257)]
    [InlineData(Points)]
    public async Task Top_k_equals_the_brute_force_ranking(int k)
    {
        var ct = TestContext.Current.CancellationToken;
        var (index, points) = await BuildAsync(new Random(k), ct);
        var query = Random(new Random(100 + k));

        var hits = await index.SearchAsync(new VectorSearch(query, TopK: k), ct);

        var expected = Reference(points, query).Take(k).ToList();
        Assert.Equal(expected.Select(e => e.Id), hits.Select(h => h.Id));
        Assert.All(hits.Zip(expected), p => Assert.Equal(p.Second.Score, p.First.DenseScore, 4));
    }

    [Fact]
    public async Task Equal_scores_are_ordered_by_id_whatever_the_insertion_order()
    {
        var ct = TestContext.Current.CancellationToken;
        var ids = Enumerable.Range(0, 40).Select(_ => Guid.NewGuid()).ToList();
        var index = new InMemoryVectorIndex(Dimensions);
        var same = Axis(3);
        // Inserted in reverse id order: an unstable selection would return whatever slots came first.
        foreach (var id in ids.OrderDescending())
        {
            await index.UpsertAsync(new VectorRecord(id, same), ct);
        }
        var better = Guid.NewGuid();
        await index.UpsertAsync(new VectorRecord(better, Mix(3, 4)), ct);

        var hits = await index.SearchAsync(new VectorSearch(Axis(3), TopK: 5), ct);

        Assert.Equal([.. ids.Order().Take(5)], hits.Select(h => h.Id));
        Assert.DoesNotContain(better, hits.Select(h => h.Id)); // 0.707 < 1.0
        Assert.All(hits, h => Assert.Equal(1.0, h.DenseScore, 6));
    }

    [Fact]
    public async Task K_larger_than_the_index_returns_every_point_once_best_first()
    {
        var ct = TestContext.Current.CancellationToken;
        var (index, points) = await BuildAsync(new Random(3), ct, count: 30);
        var query = Random(new Random(4));

        var hits = await index.SearchAsync(new VectorSearch(query, TopK: 1000), ct);
        var empty = await new InMemoryVectorIndex(Dimensions).SearchAsync(new VectorSearch(query, TopK: 5), ct);

        Assert.Equal(Reference(points, query).Select(e => e.Id), hits.Select(h => h.Id));
        Assert.Empty(empty);
    }

    [Fact]
    public async Task Filters_keep_the_brute_force_ranking_of_the_passing_points()
    {
        var ct = TestContext.Current.CancellationToken;
        var (index, points) = await BuildAsync(new Random(11), ct);
        var query = Random(new Random(12));
        var excluded = Reference(points, query).Where(p => p.Status == "resolved").Take(3).Select(p => p.Id).ToList();
        var filter = new VectorFilter(
            new Dictionary<string, string> { ["status"] = "resolved", ["category"] = "bug" },
            ExcludeIds: excluded);

        var hits = await index.SearchAsync(new VectorSearch(query, Filter: filter, TopK: 25), ct);

        var expected = Reference(points, query).Where(p => p.Status == "resolved" && p.Category == "bug" && !excluded.Contains(p.Id)).Take(25).ToList();
        Assert.Equal(25, expected.Count);
        Assert.Equal(expected.Select(e => e.Id), hits.Select(h => h.Id));
        Assert.All(hits, h => Assert.Equal("bug", h.Payload["category"]));
    }

    [Fact]
    public async Task A_filter_nothing_passes_returns_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var (index, _) = await BuildAsync(new Random(13), ct);

        var hits = await index.SearchAsync(
            new VectorSearch(Random(new Random(14)), Filter: new VectorFilter(new Dictionary<string, string> { ["status"] = "nope" }), TopK: 10), ct);

        Assert.Empty(hits);
    }

    [Fact]
    public async Task Only_ids_rank_just_those_candidates_and_ignore_unknown_ones()
    {
        var ct = TestContext.Current.CancellationToken;
        var (index, points) = await BuildAsync(new Random(21), ct);
        var query = Random(new Random(22));
        var candidates = points.Where((_, i) => i % 7 == 0).Select(p => p.Id).Append(Guid.NewGuid()).ToList();

        var hits = await index.SearchAsync(new VectorSearch(query, Filter: new VectorFilter(OnlyIds: candidates), TopK: 12), ct);

        var expected = Reference(points, query).Where(p => candidates.Contains(p.Id)).Take(12);
        Assert.Equal(expected.Select(e => e.Id), hits.Select(h => h.Id));
    }

    [Fact]
    public async Task Searches_after_deletes_see_the_moved_points()
    {
        var ct = TestContext.Current.CancellationToken;
        var (index, points) = await BuildAsync(new Random(31), ct);
        foreach (var gone in points.Where((_, i) => i % 3 == 0).ToList())
        {
            Assert.True(await index.DeleteAsync(gone.Id, ct));
            points.Remove(gone);
        }
        var query = Random(new Random(32));

        var hits = await index.SearchAsync(new VectorSearch(query, TopK: 40), ct);

        Assert.Equal(points.Count, index.Count);
        Assert.Equal(Reference(points, query).Take(40).Select(e => e.Id), hits.Select(h => h.Id));
    }

    private sealed record Point(Guid Id, float[] Vector, string Status, string Category);

    private static async Task<(InMemoryVectorIndex Index, List<Point> Points)> BuildAsync(Random random, CancellationToken ct, int count = Points)
    {
        var index = new InMemoryVectorIndex(Dimensions);
        var points = new List<Point>(count);
        for (var i = 0; i < count; i++)
        {
            var point = new Point(Guid.NewGuid(), Random(random), i % 3 == 0 ? "resolved" : "open", i % 2 == 0 ? "bug" : "question");
            points.Add(point);
            await index.UpsertAsync(new VectorRecord(point.Id, point.Vector, Payload: new Dictionary<string, string> { ["status"] = point.Status, ["category"] = point.Category }), ct);
        }
        return (index, points);
    }

    /// <summary>Every point scored in double precision and fully sorted: best first, equal scores by id.</summary>
    private static IEnumerable<(Guid Id, double Score, string Status, string Category)> Reference(List<Point> points, float[] query) =>
        points
            .Select(p => (p.Id, Score: p.Vector.Zip(query, (a, b) => (double)a * b).Sum(), p.Status, p.Category))
            .OrderByDescending(p => p.Score)
            .ThenBy(p => p.Id);

    private static float[] Random(Random random) => [.. Enumerable.Range(0, Dimensions).Select(_ => (float)((random.NextDouble() * 2) - 1))];

    private static float[] Axis(int i)
    {
        var v = new float[Dimensions];
        v[i] = 1;
        return v;
    }

    private static float[] Mix(int i, int j)
    {
        var v = new float[Dimensions];
        v[i] = v[j] = MathF.Sqrt(0.5f);
        return v;
    }
}
