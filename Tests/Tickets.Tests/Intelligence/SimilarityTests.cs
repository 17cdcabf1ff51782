using AspireTickets.Agents.Intelligence.Similarity;
using AspireTickets.Domain.Similarity;
using Microsoft.Extensions.AI;

namespace AspireTickets.Tests.Intelligence;

public class LocalEmbeddingGeneratorTests
{
    private static readonly string[] Corpus =
    [
        "Browser crashes when opening a PDF attachment in mail",
        "Mail client crashed while opening PDF attachments",
        "Add a dark theme to the settings page",
        "Bookmarks toolbar disappears after update",
        "Cannot import contacts from CSV file",
        "Spell checker does not work in compose window",
    ];

    private static LocalEmbeddingGenerator Trained()
    {
        var embedder = new LocalEmbeddingGenerator();
        foreach (var text in Corpus)
        {
            embedder.Observe(text);
        }

        return embedder;
    }

    [Fact]
    public void Embeddings_are_deterministic_and_unit_length()
    {
        var first = Trained().Embed(Corpus[0]);
        var second = Trained().Embed(Corpus[0]);

        Assert.Equal(first, second);
        Assert.Equal(1024, first.Length);
        Assert.Equal(1.0, Math.Sqrt(first.Sum(x => (double)x * x)), 4);
    }

    [Fact]
    public void Similar_texts_are_closer_than_unrelated_ones()
    {
        var embedder = Trained();
        var query = embedder.Embed("crash on opening pdf attachment");

        var similar = Cosine(query, embedder.Embed(Corpus[1]));
        var unrelated = Corpus.Skip(2).Select(t => Cosine(query, embedder.Embed(t))).Max();

        Assert.True(similar > unrelated + 0.1, $"similar {similar:0.000} vs best unrelated {unrelated:0.000}");
    }

    [Fact]
    public async Task Works_as_an_IEmbeddingGenerator()
    {
        IEmbeddingGenerator<string, Embedding<float>> generator = Trained();

        var embeddings = await generator.GenerateAsync(["one text", "another text"], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal(1024, e.Vector.Length));
        Assert.Equal(1024, generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions);
    }

    [Fact]
    public void Empty_text_embeds_to_the_zero_vector()
    {
        Assert.All(Trained().Embed(""), x => Assert.Equal(0f, x));
    }

    internal static double Cosine(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();
}

public class Bm25IndexTests
{
    [Fact]
    public void Scores_match_a_hand_computed_value()
    {
        var index = new Bm25Index<string>(new Bm25Options { K1 = 1.2, B = 0.75 });
        index.Upsert("d1", ["crash", "crash", "pdf"]);
        index.Upsert("d2", ["dark", "theme"]);
        index.Upsert("d3", ["pdf", "print", "preview", "crash"]);

        var scores = index.Score(["crash", "pdf"]);

        // N = 3, avgdl = 3. idf(crash) = idf(pdf) = ln(1 + (3 - 2 + 0.5) / (2 + 0.5)) = ln 1.6.
        // d1 (|d| = 3): crash tf 2 → 2·2.2 / (2 + 1.2) = 1.375; pdf tf 1 → 2.2 / 2.2 = 1.
        // d3 (|d| = 4): K = 1.2·(0.25 + 0.75·4/3) = 1.5; each tf 1 → 2.2 / 2.5 = 0.88.
        var idf = Math.Log(1.6);
        Assert.Equal(idf * (1.375 + 1.0), scores["d1"], 9);
        Assert.Equal(idf * (0.88 + 0.88), scores["d3"], 9);
        Assert.False(scores.ContainsKey("d2"));
        Assert.Equal(2 * idf * 2.2, index.UpperBound(["crash", "pdf"]), 9);
    }

    [Fact]
    public void Removing_and_replacing_documents_updates_the_statistics()
    {
        var index = new Bm25Index<int>();
        index.Upsert(1, ["a", "b"]);
        index.Upsert(2, ["a", "c", "d", "e"]);
        Assert.Equal(2, index.DocumentFrequency("a"));
        Assert.Equal(3, index.AverageLength);

        Assert.True(index.Remove(2));
        index.Upsert(1, ["c"]);

        Assert.Equal(1, index.Count);
        Assert.Equal(0, index.DocumentFrequency("a"));
        Assert.Equal(1, index.DocumentFrequency("c"));
        Assert.Equal(1, index.AverageLength);
        Assert.Empty(index.Score(["a", "b"]));
        Assert.False(index.Remove(2));
    }
}

public class DuplicateFusionTests
{
    [Fact]
    public void Score_is_in_range_and_monotonic_in_both_signals()
    {
        var fusion = DuplicateFusion.Default;
        var grid = Enumerable.Range(0, 11).Select(i => i / 10.0).ToArray();
        foreach (var lexical in grid)
        {
            foreach (var dense in grid)
            {
                var score = fusion.Score(lexical, dense);
                Assert.InRange(score, 0, 1);
                Assert.True(fusion.Score(Math.Min(1, lexical + 0.1), dense) >= score);
                Assert.True(fusion.Score(lexical, Math.Min(1, dense + 0.1)) >= score);
            }
        }

        Assert.True(fusion.Score(1, 1) > 0.9, "identical texts are very likely duplicates");
        Assert.True(fusion.Score(0.1, 0.1) < 0.01, "barely related texts are not");
        Assert.Equal(fusion.Score(0, -0.5), fusion.Score(0, 0)); // negative cosine clamps to 0
    }

    [Fact]
    public void Platt_fit_recovers_a_known_logistic_relation()
    {
        var truth = new DuplicateFusion(0.5, 10, -5);
        var random = new Random(3);
        var samples = Enumerable.Range(0, 4000).Select(_ =>
        {
            var lexical = random.NextDouble();
            var dense = random.NextDouble();
            return (lexical, dense, random.NextDouble() < truth.Score(lexical, dense));
        }).ToList();

        var fitted = new DuplicateFusion(0.5, 1, 0).Fit(samples);

        Assert.InRange(fitted.Scale, 8.5, 11.5);
        Assert.InRange(fitted.Bias, -5.8, -4.2);
    }
}
