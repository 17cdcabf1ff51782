using System.Numerics.Tensors;
using AspireTickets.Agents.Intelligence.Text;
using AspireTickets.Agents.Intelligence.Triage;

namespace AspireTickets.Tests.Intelligence;

/// <summary>The sentence encoder (all-MiniLM-L6-v2 from its package), its cache, and how triage models use its vectors.</summary>
public sealed class TriageEncoderTests
{
    private static readonly string[] Labels = ["bug", "feature", "question"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void MiniLM_places_paraphrases_closer_than_unrelated_tickets()
    {
        using var encoder = new MiniLmTextEncoder();

        var vectors = encoder.Encode([
            "The app crashes on startup",
            "Application dies as soon as it is launched",
            "Please add a dark theme",
            "Feature request: support dark mode",
        ], Ct);

        Assert.All(vectors, v => Assert.Equal(384, v.Length));
        Assert.All(vectors, v => Assert.Equal(1, TensorPrimitives.Norm(v), 3));
        var crashes = TensorPrimitives.CosineSimilarity(vectors[0], vectors[1]);
        var themes = TensorPrimitives.CosineSimilarity(vectors[2], vectors[3]);
        var across = TensorPrimitives.CosineSimilarity(vectors[0], vectors[3]);
        Assert.True(crashes > across + 0.3, $"crash paraphrases {crashes:0.00}, crash vs theme {across:0.00}");
        Assert.True(themes > across + 0.3, $"theme paraphrases {themes:0.00}, crash vs theme {across:0.00}");
    }

    [Fact]
    public void MiniLM_batches_by_length_but_answers_in_input_order()
    {
        using var encoder = new MiniLmTextEncoder();
        string[] texts =
        [
            string.Join(' ', Enumerable.Repeat("the export to csv drops every row after the first thousand", 12)),
            "",
            "login fails",
            .. Enumerable.Range(0, 20).Select(i => $"ticket number {i} about the printer queue"),
        ];

        var together = encoder.Encode(texts, Ct);

        for (var i = 0; i < texts.Length; i += 7)
        {
            var alone = encoder.Encode([texts[i]], Ct)[0];
            // Padding inside a batch is masked out of the mean, so a text's vector does not depend on its neighbours.
            Assert.True(TensorPrimitives.CosineSimilarity(alone, together[i]) > 0.999, $"text {i}");
        }
    }

    [Fact]
    public void The_cache_encodes_each_distinct_text_once()
    {
        var inner = new CountingEncoder();
        var cache = new CachedTextEncoder(inner);

        var first = cache.Encode(["a b", "c d", "a b"], Ct);
        var second = cache.Encode(["c d", "e f"], Ct);

        Assert.Equal(["a b", "c d", "e f"], inner.Encoded);
        Assert.Same(first[0], first[2]);
        Assert.Same(first[1], second[0]);
        Assert.Equal(inner.Encode(["e f"], Ct)[0], second[1]);
    }

    [Fact]
    public void A_ticket_is_one_encoder_call_for_its_title_and_its_text()
    {
        var encoder = new CountingEncoder();

        var vectors = TextClassifier.EncodeTickets(encoder, [("Save fails", "Saving a large file fails."), ("Login", null)], Ct);

        Assert.Equal(1, encoder.Calls);
        Assert.Equal(["Save fails", "Login", TriageText.EncoderText("Save fails", "Saving a large file fails."), TriageText.EncoderText("Login", null)], encoder.Encoded);
        var title = encoder.Encode(["Save fails"], Ct)[0];
        var text = encoder.Encode([TriageText.EncoderText("Save fails", "Saving a large file fails.")], Ct)[0];
        Assert.Equal([.. title, .. text], vectors[0]);
        Assert.Equal(2 * encoder.Dimension, vectors[1].Length);
    }

    [Fact]
    public void A_full_cache_starts_over_and_still_answers_every_text()
    {
        var inner = new CountingEncoder();
        var cache = new CachedTextEncoder(inner, capacity: 3);
        cache.Encode(["one", "two"], Ct);

        var vectors = cache.Encode(["two", "three", "four"], Ct);

        Assert.Equal(3, vectors.Length);
        Assert.All(vectors, Assert.NotNull);
        Assert.Equal(inner.Encode(["four"], Ct)[0], vectors[2]);
        Assert.True(cache.Count <= 3, $"{cache.Count} cached");
    }

    [Fact]
    public void Encoder_vectors_let_the_classifier_generalize_beyond_the_words_it_was_trained_on()
    {
        // Train and test tickets share no word (made-up words, so that no keyword feature knows them either): only an
        // encoder that knows the words' meanings (here a small synonym table standing in for MiniLM) links them.
        // Without its vectors the classifier can only guess.
        var encoder = new SynonymEncoder();
        var train = SynonymTickets(SynonymEncoder.TrainingWords, seed: 1).ToList();
        var test = SynonymTickets(SynonymEncoder.UnseenWords, seed: 2).ToList();

        var with = TextClassifier.Train(train, Labels, new TextClassifierOptions(), encoder, ct: TestContext.Current.CancellationToken);
        var without = TextClassifier.Train(train, Labels, new TextClassifierOptions(), ct: TestContext.Current.CancellationToken);

        Assert.Equal(SynonymEncoder.Name, with.EncoderName);
        Assert.Null(without.EncoderName);
        var accuracyWith = Accuracy(with, test);
        var accuracyWithout = Accuracy(without, test);
        Assert.True(accuracyWith >= 0.9, $"with the encoder {accuracyWith:0.00}");
        Assert.True(accuracyWithout <= 0.6, $"without it {accuracyWithout:0.00}");
    }

    [Fact]
    public void A_model_trained_with_an_encoder_saves_and_loads_with_it_and_only_with_it()
    {
        var encoder = new SynonymEncoder();
        var classifier = TextClassifier.Train(SynonymTickets(SynonymEncoder.TrainingWords, seed: 3), Labels, new TextClassifierOptions(), encoder, ct: TestContext.Current.CancellationToken);
        using var stream = new MemoryStream();
        classifier.Save(stream);

        stream.Position = 0;
        var loaded = TextClassifier.Load(stream, encoder);
        foreach (var ticket in SynonymTickets(SynonymEncoder.UnseenWords, seed: 4).Take(12))
        {
            var before = classifier.Predict(ticket.Title, ticket.Body);
            var after = loaded.Predict(ticket.Title, ticket.Body);
            Assert.Equal(before.Label, after.Label);
            Assert.Equal(before.Confidence, after.Confidence, 6);
        }

        stream.Position = 0;
        var missing = Assert.Throws<InvalidDataException>(() => TextClassifier.Load(stream));
        Assert.Contains($"'{SynonymEncoder.Name}'", missing.Message, StringComparison.Ordinal);
        stream.Position = 0;
        Assert.Throws<InvalidDataException>(() => TextClassifier.Load(stream, new CountingEncoder()));
    }

    [Fact]
    public void Encoder_weight_zero_trains_an_n_gram_model_that_loads_without_an_encoder()
    {
        var classifier = TextClassifier.Train(SynonymTickets(SynonymEncoder.TrainingWords, seed: 5), Labels, new TextClassifierOptions { EncoderWeight = 0 }, new SynonymEncoder(), ct: TestContext.Current.CancellationToken);
        using var stream = new MemoryStream();
        classifier.Save(stream);
        stream.Position = 0;

        Assert.Null(classifier.EncoderName);
        Assert.Null(TextClassifier.Load(stream).EncoderName);
    }

    [Fact]
    public void Training_with_the_encoder_stops_when_cancelled()
    {
        using var miniLm = new MiniLmTextEncoder();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            TextClassifier.Train(SynonymTickets(SynonymEncoder.TrainingWords, seed: 6), Labels, new TextClassifierOptions(), new CachedTextEncoder(miniLm), cancelled.Token));
    }

    [Fact]
    public void The_encoder_reads_the_title_and_the_prose_without_template_comments_or_pasted_code()
    {
        var body = """
            <!-- Please describe the problem in detail. This text is the same in every ticket. -->
            Saving a **large** file fails.
            ```
            Traceback (most recent call last):
              File "save.py", line 3
            ```
            """ + new string('x', 3000);

        var text = TriageText.EncoderText("Save fails", body);

        Assert.StartsWith("Save fails. Saving a large file fails.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Please describe", text, StringComparison.Ordinal);
        Assert.DoesNotContain("save.py", text, StringComparison.Ordinal);
        Assert.Equal(TriageText.EncoderTextLength, text.Length);
    }

    private static double Accuracy(TextClassifier classifier, List<LabelledText> test) =>
        classifier.PredictMany(test.Select(t => (t.Title, t.Body))).Zip(test).Count(p => p.First.Label == p.Second.Label) / (double)test.Count;

    private static IEnumerable<LabelledText> SynonymTickets(IReadOnlyDictionary<string, string[]> words, int seed)
    {
        var random = new Random(seed);
        foreach (var label in Labels)
        {
            for (var i = 0; i < 30; i++)
            {
                var pick = words[label];
                yield return new LabelledText(pick[random.Next(pick.Length)], pick[random.Next(pick.Length)] + " " + pick[random.Next(pick.Length)], label);
            }
        }
    }

    /// <summary>Knows which words mean the same: one direction per meaning, plus a little noise per word.</summary>
    private sealed class SynonymEncoder : ITextEncoder
    {
        public const string Name = "synonyms";

        public static readonly Dictionary<string, string[]> TrainingWords = new()
        {
            ["bug"] = ["blarg", "frotz", "kweep", "mimsy"],
            ["feature"] = ["dwopple", "zint", "hasp", "oolong"],
            ["question"] = ["clavik", "tremp", "yusk", "bwin"],
        };

        public static readonly Dictionary<string, string[]> UnseenWords = new()
        {
            ["bug"] = ["zorbly", "quenth", "vux"],
            ["feature"] = ["plimber", "draskey", "wottle"],
            ["question"] = ["grummet", "yaffle", "sniq"],
        };

        string ITextEncoder.Name => Name;

        public int Dimension => 8;

        public float[][] Encode(IReadOnlyList<string> texts, CancellationToken ct = default) => [.. texts.Select(Encode)];

        private static float[] Encode(string text)
        {
            var vector = new float[8];
            foreach (var word in text.Split([' ', '.'], StringSplitOptions.RemoveEmptyEntries))
            {
                for (var meaning = 0; meaning < Labels.Length; meaning++)
                {
                    if (TrainingWords[Labels[meaning]].Contains(word) || UnseenWords[Labels[meaning]].Contains(word))
                    {
                        vector[meaning] += 1;
                        vector[3 + (word.Length % 5)] += 0.2f;
                    }
                }
            }

            var norm = TensorPrimitives.Norm(vector);
            if (norm > 0)
            {
                TensorPrimitives.Divide(vector, norm, vector);
            }

            return vector;
        }
    }

    /// <summary>Records what it was asked to encode; the vector is a function of the text alone.</summary>
    private sealed class CountingEncoder : ITextEncoder
    {
        public List<string> Encoded { get; } = [];

        public int Calls { get; private set; }

        public string Name => "counting";

        public int Dimension => 2;

        public float[][] Encode(IReadOnlyList<string> texts, CancellationToken ct = default)
        {
            Calls++;
            Encoded.AddRange(texts);
            return [.. texts.Select(t => new[] { t.Length, t.Sum(c => c) / 100f })];
        }
    }
}
