using System.Diagnostics;
using System.Globalization;
using AspireTickets.Agents.Intelligence.Text;
using AspireTickets.Agents.Intelligence.Triage;

namespace AspireTickets.Agents.Evaluation;

public sealed record TriageRow(string Repo, string Label, string Title, string Body);

public sealed record RepoScore(string Repo, int TestRows, double MacroF1, double Accuracy);

/// <summary>
/// The NLBSE'24 protocol: per repository, train on that repository's rows and score its test rows by
/// macro-F1 over the labels; the headline is the mean over repositories. Without a test file, stratified
/// k-fold cross-validation within each repository (fixed seed); every fold trains a fresh model (vocabulary
/// and IDF included) on the other folds only. The sentence encoder is pretrained and fixed, so encoding every row
/// once up front leaks nothing between folds.
/// </summary>
public static class TriageEvaluation
{
    public const int FoldSeed = 20240501;

    public static List<TriageRow> Load(string path) =>
        EvaluationCsv.Read(path, "repo", "label", "title", "body")
            .Select(r => new TriageRow(r["repo"].Trim(), r["label"].Trim(), r["title"], r["body"]))
            .ToList();

    public static int RunCommand(string trainPath, string? testPath, int folds, TextWriter output, TextEncoderKind encoderKind = TextEncoderKind.MiniLM, int foldSeed = FoldSeed, TextClassifierOptions? classifier = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var stopwatch = Stopwatch.StartNew();
        var train = Load(trainPath);
        var test = testPath is null ? null : Load(testPath);
        if (train.Count == 0)
        {
            throw new EvaluationInputException($"{trainPath}: no rows.");
        }

        output.WriteLine(test is null
            ? $"triage: {folds}-fold stratified cross-validation per repo on {train.Count} rows"
            : $"triage: train {train.Count} rows, test {test.Count} rows");
        using var encoder = TextEncoders.Create(encoderKind) as IDisposable;
        ITextEncoder? cached = null;
        if (encoder is ITextEncoder inner)
        {
            // Every row is encoded once, up front, in one length-sorted pass; the folds then read the cache.
            var rows = train.Concat(test ?? []).ToList();
            var encoding = Stopwatch.StartNew();
            cached = new CachedTextEncoder(inner, capacity: (2 * rows.Count) + 16);
            TextClassifier.EncodeTickets(cached, [.. rows.Select(r => (r.Title, (string?)r.Body))]);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"encoder {inner.Name}: {2 * rows.Count} texts in {encoding.Elapsed.TotalSeconds:0.0} s ({encoding.Elapsed.TotalMilliseconds / rows.Count:0.0} ms a ticket)"));
        }
        else
        {
            output.WriteLine("encoder: none (n-gram features only)");
        }

        classifier ??= new TextClassifierOptions();
        if (cached is not null)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"encoder weight: {classifier.EncoderWeight}"));
        }

        var scores = Run(train, test, folds, classifier, cached, foldSeed, s =>
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s.Repo}: macro-F1 {s.MacroF1:0.000} accuracy {s.Accuracy:0.000} ({s.TestRows} rows)")));
        output.WriteLine($"elapsed: {stopwatch.Elapsed.TotalSeconds:0.0} s");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mean macro-F1: {scores.Average(s => s.MacroF1):0.000}"));
        return 0;
    }

    public static List<RepoScore> Run(List<TriageRow> train, List<TriageRow>? test, int folds, TextClassifierOptions options, ITextEncoder? encoder = null, int foldSeed = FoldSeed, Action<RepoScore>? progress = null)
    {
        var results = new List<RepoScore>();
        foreach (var repo in train.Select(r => r.Repo).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var repoTrain = train.Where(r => r.Repo == repo).ToList();
            var labels = repoTrain.Select(r => r.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var gold = new List<string>();
            var predicted = new List<string>();
            if (test is not null)
            {
                var repoTest = test.Where(r => r.Repo == repo).ToList();
                if (repoTest.Count == 0)
                {
                    continue;
                }

                Score(repoTrain, repoTest, labels, options, encoder, gold, predicted);
            }
            else
            {
                var assignment = StratifiedFolds(repoTrain, folds, foldSeed);
                for (var fold = 0; fold < folds; fold++)
                {
                    var foldTrain = repoTrain.Where((_, i) => assignment[i] != fold).ToList();
                    var foldTest = repoTrain.Where((_, i) => assignment[i] == fold).ToList();
                    Score(foldTrain, foldTest, labels, options, encoder, gold, predicted);
                }
            }

            var score = new RepoScore(repo, gold.Count, MacroF1(gold, predicted, labels), gold.Zip(predicted).Count(p => p.First == p.Second) / (double)gold.Count);
            progress?.Invoke(score);
            results.Add(score);
        }

        return results;
    }

    /// <summary>Fold of each row: within each label, rows are shuffled (fixed seed) and dealt round-robin.</summary>
    public static int[] StratifiedFolds(IReadOnlyList<TriageRow> rows, int folds, int seed)
    {
        var assignment = new int[rows.Count];
        var random = new Random(seed);
        foreach (var group in Enumerable.Range(0, rows.Count).GroupBy(i => rows[i].Label).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var indices = group.ToArray();
            random.Shuffle(indices);
            for (var i = 0; i < indices.Length; i++)
            {
                assignment[indices[i]] = i % folds;
            }
        }

        return assignment;
    }

    public static double MacroF1(IReadOnlyList<string> gold, IReadOnlyList<string> predicted, IReadOnlyList<string> labels)
    {
        var f1s = new List<double>();
        foreach (var label in labels)
        {
            var tp = gold.Zip(predicted).Count(p => p.First == label && p.Second == label);
            var fp = gold.Zip(predicted).Count(p => p.First != label && p.Second == label);
            var fn = gold.Zip(predicted).Count(p => p.First == label && p.Second != label);
            f1s.Add(tp == 0 ? 0 : 2.0 * tp / ((2.0 * tp) + fp + fn));
        }

        return f1s.Count == 0 ? 0 : f1s.Average();
    }

    private static void Score(List<TriageRow> train, List<TriageRow> test, List<string> labels, TextClassifierOptions options, ITextEncoder? encoder, List<string> gold, List<string> predicted)
    {
        var classifier = TextClassifier.Train(train.Select(r => new LabelledText(r.Title, r.Body, r.Label)), labels, options, encoder);
        var predictions = classifier.PredictMany(test.Select(r => (r.Title, (string?)r.Body)));
        gold.AddRange(test.Select(r => r.Label));
        predicted.AddRange(predictions.Select(p => p.Label));
    }
}
