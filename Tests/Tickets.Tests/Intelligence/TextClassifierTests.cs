using AspireTickets.Agents.Intelligence.Triage;

namespace AspireTickets.Tests.Intelligence;

public class TextClassifierTests
{
    private static readonly string[] Labels = ["bug", "feature", "question"];

    [Fact]
    public void Learns_a_separable_synthetic_set()
    {
        var classifier = TextClassifier.Train(Separable(seed: 1, perLabel: 30), Labels, ct: TestContext.Current.CancellationToken);

        var test = Separable(seed: 2, perLabel: 20).ToList();
        var predictions = classifier.PredictMany(test.Select(t => (t.Title, t.Body)));

        var accuracy = test.Zip(predictions).Count(p => p.First.Label == p.Second.Label) / (double)test.Count;
        Assert.True(accuracy >= 0.95, $"accuracy {accuracy:0.00}");
        Assert.Equal("bug", classifier.Predict("app crashes with exception", "stack trace crash error").Label);
    }

    [Fact]
    public void Only_emits_labels_of_the_label_set()
    {
        // "incident" rows are outside the label set: they must not become a class.
        var examples = Separable(seed: 3, perLabel: 15)
            .Concat(Enumerable.Range(0, 15).Select(i => new LabelledText($"outage number {i}", "everything is down", "incident")));

        var classifier = TextClassifier.Train(examples, Labels, ct: TestContext.Current.CancellationToken);

        Assert.Equal(Labels, classifier.Labels);
        foreach (var text in new[] { "outage everything is down", "", "unrelated words entirely", "how do I crash a feature?" })
        {
            var prediction = classifier.Predict(text, text);
            Assert.Contains(prediction.Label, Labels);
            Assert.Equal(Labels.Order(), prediction.Probabilities.Keys.Order());
            Assert.Equal(1.0, prediction.Probabilities.Values.Sum(), 6);
            Assert.Equal(prediction.Probabilities.Values.Max(), prediction.Confidence, 9);
        }
    }

    [Fact]
    public void Saved_model_loads_and_predicts_the_same()
    {
        var classifier = TextClassifier.Train(Separable(seed: 4, perLabel: 20), Labels, new TextClassifierOptions
        {
            Learners = [LinearLearner.LbfgsMaximumEntropy, LinearLearner.SdcaMaximumEntropy],
        }, ct: TestContext.Current.CancellationToken);
        using var stream = new MemoryStream();
        classifier.Save(stream);
        stream.Position = 0;

        var loaded = TextClassifier.Load(stream);

        Assert.Equal(classifier.Labels, loaded.Labels);
        foreach (var example in Separable(seed: 5, perLabel: 3))
        {
            var before = classifier.Predict(example.Title, example.Body);
            var after = loaded.Predict(example.Title, example.Body);
            Assert.Equal(before.Label, after.Label);
            Assert.Equal(before.Confidence, after.Confidence, 5);
        }
    }

    [Fact]
    public void Confidence_is_calibrated_on_noisy_data()
    {
        // Two classes whose words are mixed with shared noise at a per-ticket rate, and 10% of labels
        // flipped: confidence must track accuracy (a reliability check over confidence bins).
        var classifier = TextClassifier.Train(Noisy(seed: 11, count: 600), ["bug", "feature"], ct: TestContext.Current.CancellationToken);
        var test = Noisy(seed: 12, count: 600).ToList();
        var predictions = classifier.PredictMany(test.Select(t => (t.Title, t.Body)));
        var outcomes = test.Zip(predictions, (t, p) => (p.Confidence, Correct: t.Label == p.Label)).ToList();

        var accuracy = outcomes.Average(o => o.Correct ? 1.0 : 0.0);
        var meanConfidence = outcomes.Average(o => o.Confidence);
        Assert.True(Math.Abs(accuracy - meanConfidence) < 0.1, $"accuracy {accuracy:0.000} vs mean confidence {meanConfidence:0.000}");

        // Expected calibration error over five equal-width bins of [0.5, 1].
        var ece = outcomes
            .GroupBy(o => Math.Min(4, (int)((o.Confidence - 0.5) / 0.1)))
            .Sum(bin => bin.Count() / (double)outcomes.Count * Math.Abs(bin.Average(o => o.Correct ? 1.0 : 0.0) - bin.Average(o => o.Confidence)));
        Assert.True(ece < 0.1, $"expected calibration error {ece:0.000}");

        var confident = outcomes.Where(o => o.Confidence >= 0.8).ToList();
        var unsure = outcomes.Where(o => o.Confidence < 0.65).ToList();
        Assert.NotEmpty(confident);
        Assert.NotEmpty(unsure);
        Assert.True(confident.Average(o => o.Correct ? 1.0 : 0.0) > unsure.Average(o => o.Correct ? 1.0 : 0.0));
    }

    internal static IEnumerable<LabelledText> Separable(int seed, int perLabel)
    {
        var random = new Random(seed);
        var words = new Dictionary<string, string[]>
        {
            ["bug"] = ["crash", "error", "exception", "broken", "fails", "stack", "trace", "regression"],
            ["feature"] = ["add", "support", "option", "would", "nice", "proposal", "allow", "enhancement"],
            ["question"] = ["how", "why", "possible", "help", "understand", "documentation", "usage", "clarify"],
        };
        string[] common = ["the", "app", "when", "screen", "user", "page", "settings", "file", "window", "data"];
        for (var i = 0; i < perLabel; i++)
        {
            foreach (var (label, vocabulary) in words)
            {
                string Sentence(int n) => string.Join(' ', Enumerable.Range(0, n).Select(k => k % 2 == 0 ? vocabulary[random.Next(vocabulary.Length)] : common[random.Next(common.Length)]));
                yield return new LabelledText(Sentence(4), Sentence(12), label);
            }
        }
    }

    private static IEnumerable<LabelledText> Noisy(int seed, int count)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var label = i % 2 == 0 ? "bug" : "feature";
            var signal = 0.05 + (0.4 * random.NextDouble());
            var words = Enumerable.Range(0, 10).Select(_ => random.NextDouble() < signal
                ? $"{label}word{random.Next(15)}"
                : $"noise{random.Next(60)}");
            var observed = random.NextDouble() < 0.1 ? (label == "bug" ? "feature" : "bug") : label;
            yield return new LabelledText(string.Join(' ', words.Take(3)), string.Join(' ', words.Skip(3)), observed);
        }
    }
}
