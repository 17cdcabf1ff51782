using AspireTickets.Agents.Intelligence.Triage;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AspireTickets.Tests.Intelligence;

public class NaiveBayesLogisticRegressionTests
{
    [Fact]
    public void Log_count_ratio_favours_features_of_the_positive_rows()
    {
        // Feature 0 only in positive rows, feature 1 only in negative rows, feature 2 everywhere.
        VBuffer<float>[] rows =
        [
            new(3, [1f, 0f, 1f]),
            new(3, [2f, 0f, 1f]),
            new(3, 1, [0.5f], [1]),
            new(3, 2, [3f, 1f], [1, 2]),
        ];
        bool[] positive = [true, true, false, false];

        var ratios = NaiveBayesLogisticRegression.LogCountRatios(rows, positive, 3);

        // Smoothed (alpha 1) binarized counts: p = (3, 1, 3), q = (1, 3, 2), so
        // p/|p| = (3/7, 1/7, 3/7), q/|q| = (1/6, 3/6, 2/6).
        Assert.Equal(Math.Log((3.0 / 7) / (1.0 / 6)), ratios[0], 5);
        Assert.Equal(Math.Log((1.0 / 7) / (3.0 / 6)), ratios[1], 5);
        Assert.Equal(Math.Log((3.0 / 7) / (2.0 / 6)), ratios[2], 5);
        Assert.True(ratios[0] > 0 && ratios[1] < 0);
    }

    [Fact]
    public void One_vs_rest_models_separate_labels_and_probabilities_sum_to_one()
    {
        var ml = new MLContext(1);
        var random = new Random(3);
        var rows = new List<VBuffer<float>>();
        var labels = new List<int>();
        for (var i = 0; i < 90; i++)
        {
            // Label c owns features 2c and 2c+1; features 6..9 are shared noise.
            var label = i % 3;
            var values = new float[10];
            values[(2 * label) + random.Next(2)] = 1;
            values[6 + random.Next(4)] = 1;
            rows.Add(new VBuffer<float>(10, values));
            labels.Add(label);
        }

        var model = NaiveBayesLogisticRegression.Train(ml, rows, labels, 3, l2Regularization: 1);
        var predictions = model.Predict(rows);

        Assert.Equal(3, model.LabelCount);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(1.0, predictions[i].Sum(), 6);
            Assert.Equal(labels[i], Array.IndexOf(predictions[i], predictions[i].Max()));
        }

        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            model.Save(writer);
        }

        stream.Position = 0;
        using var reader = new BinaryReader(stream);
        var loaded = NaiveBayesLogisticRegression.Load(ml, reader).Predict(rows);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(predictions[i], loaded[i], (a, b) => Math.Abs(a - b) < 1e-6);
        }
    }

    [Fact]
    public void Classifier_with_and_without_the_NB_member_round_trips_and_differs()
    {
        var examples = TextClassifierTests.Separable(seed: 7, perLabel: 20).ToList();
        var maxEnt = new TextClassifierOptions { Learners = [LinearLearner.LbfgsMaximumEntropy] };
        var with = TextClassifier.Train(examples, ["bug", "feature", "question"], maxEnt, ct: TestContext.Current.CancellationToken);
        var without = TextClassifier.Train(examples, ["bug", "feature", "question"], maxEnt with { NaiveBayesMember = false }, ct: TestContext.Current.CancellationToken);
        using var stream = new MemoryStream();
        with.Save(stream);
        stream.Position = 0;
        var loaded = TextClassifier.Load(stream);

        var probe = ("app crashes with exception", "stack trace crash error");
        var a = with.Predict(probe.Item1, probe.Item2);
        var b = loaded.Predict(probe.Item1, probe.Item2);
        var c = without.Predict(probe.Item1, probe.Item2);
        var many = with.PredictMany([probe]);

        Assert.Equal("bug", a.Label);
        Assert.Equal(a.Confidence, b.Confidence, 5);
        Assert.Equal(a.Confidence, many[0].Confidence, 5);
        // The NB member's vote moves the probabilities: it is really part of the ensemble.
        Assert.NotEqual(a.Confidence, c.Confidence, 3);
    }

    [Fact]
    public void Classifier_without_any_member_is_refused()
    {
        var examples = TextClassifierTests.Separable(seed: 8, perLabel: 5).ToList();

        Assert.Throws<ArgumentException>(() => TextClassifier.Train(examples, ["bug", "feature", "question"], new TextClassifierOptions { Learners = [], NaiveBayesMember = false }, ct: TestContext.Current.CancellationToken));
    }
}
