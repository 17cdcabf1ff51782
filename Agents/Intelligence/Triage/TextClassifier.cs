using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms;
using Microsoft.ML.Transforms.Text;

namespace AspireTickets.Agents.Intelligence.Triage;

/// <summary>A labelled ticket text: what the classifier learns from.</summary>
public sealed record LabelledText(string Title, string? Body, string Label);

/// <summary>A prediction with the probability of every label (they sum to 1).</summary>
public sealed record ClassPrediction(string Label, double Confidence, IReadOnlyDictionary<string, double> Probabilities);

public enum LinearLearner
{
    /// <summary>Multinomial logistic regression by L-BFGS: smooth softmax probabilities.</summary>
    LbfgsMaximumEntropy,

    /// <summary>Multinomial logistic regression by stochastic dual coordinate ascent.</summary>
    SdcaMaximumEntropy,

    /// <summary>One-vs-all linear SVMs, Platt-calibrated.</summary>
    LinearSvm,

    /// <summary>One-vs-all averaged perceptrons, Platt-calibrated.</summary>
    AveragedPerceptron,
}

public sealed record TextClassifierOptions
{
    /// <summary>Members of the ensemble; their probabilities are averaged.</summary>
    public IReadOnlyList<LinearLearner> Learners { get; init; } = [LinearLearner.LbfgsMaximumEntropy];

    public float L2Regularization { get; init; } = 0.1f;

    /// <summary>Longest word n-gram (1 = bag of words).</summary>
    public int WordNgrams { get; init; } = 2;

    /// <summary>Character n-gram length (0 = none).</summary>
    public int CharNgrams { get; init; } = 4;

    /// <summary>How many copies of the title's features enter the model. Copies make a feature cheaper to
    /// use under L2 regularization (k copies ≈ scaling by √k), the honest way to say "the title counts more".</summary>
    public int TitleCopies { get; init; } = 2;

    public int Seed { get; init; } = 1;

    /// <summary>Whether words are reduced to their Porter stems before n-grams are counted: with a few
    /// hundred examples, "crashes"/"crashed"/"crashing" should be one piece of evidence.</summary>
    public bool Stem { get; init; } = true;

    /// <summary>Whether the structural features (<see cref="TriageText.Structure"/>) enter the model.</summary>
    public bool StructureFeatures { get; init; } = true;

    /// <summary>Whether English stop words are removed before word n-grams are counted.</summary>
    public bool RemoveStopWords { get; init; }

    /// <summary>Multiplier of the structural features relative to the L2-normalized text blocks.</summary>
    public float StructureWeight { get; init; } = 1;

    /// <summary>Whether the issue-template skeleton (<see cref="TriageText.Headings"/>) is a feature block of its
    /// own. A small effect on NLBSE'24 (5-fold mean macro-F1 0.773 with, 0.770 without), kept because help-desk
    /// forms are templates too.</summary>
    public bool TemplateFeatures { get; init; } = true;

    /// <summary>Whether an NB-weighted one-vs-rest logistic regression (<see cref="NaiveBayesLogisticRegression"/>)
    /// over the same features joins the ensemble. On NLBSE'24 (5-fold) it lifts the mean macro-F1 from 0.777.</summary>
    public bool NaiveBayesMember { get; init; } = true;

    /// <summary>L2 regularization of the NB-weighted member's binary models.</summary>
    public float NaiveBayesL2 { get; init; } = 1f;

    /// <summary>Body characters kept (after code blocks are collapsed).</summary>
    public int MaxBodyLength { get; init; } = TriageText.DefaultMaxBodyLength;
}

/// <summary>
/// A linear text classifier (ML.NET): title and body each become TF-IDF word and character n-grams,
/// plus structural features (<see cref="TriageText.Structure"/>); one or several linear learners are
/// trained and their class probabilities averaged. Only labels from the given label set can come out.
/// The vocabulary and IDF are fitted on the training examples only.
/// </summary>
public sealed class TextClassifier
{
    private const int FormatVersion = 2;

    private readonly MLContext _ml;
    private readonly ITransformer _featurizer;
    private readonly IReadOnlyList<ITransformer> _models;
    private readonly NaiveBayesLogisticRegression? _naiveBayes;
    private readonly Lock _gate = new();
    private List<PredictionEngine<TextInput, ScoreOutput>>? _engines;
    private PredictionEngine<TextInput, FeatureOutput>? _featureEngine;

    private TextClassifier(MLContext ml, ITransformer featurizer, IReadOnlyList<ITransformer> models, NaiveBayesLogisticRegression? naiveBayes, IReadOnlyList<string> labels, TextClassifierOptions options)
    {
        _ml = ml;
        _featurizer = featurizer;
        _models = models;
        _naiveBayes = naiveBayes;
        Labels = labels;
        Options = options;
    }

    /// <summary>The labels the model can emit, in score order.</summary>
    public IReadOnlyList<string> Labels { get; }

    public TextClassifierOptions Options { get; }

    public static TextClassifier Train(IEnumerable<LabelledText> examples, IReadOnlyCollection<string> labelSet, TextClassifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(labelSet);
        options ??= new TextClassifierOptions();
        var canonical = labelSet.ToDictionary(l => l, l => l, StringComparer.OrdinalIgnoreCase);
        // Rows labelled outside the label set are not evidence for any label we may emit.
        var rows = examples
            .Where(e => canonical.ContainsKey(e.Label.Trim()))
            .Select(e => TextInput.From(e.Title, e.Body, canonical[e.Label.Trim()], options))
            .ToList();
        var labels = rows.Select(r => r.Label).Distinct().Order(StringComparer.Ordinal).ToList();
        if (labels.Count < 2)
        {
            throw new InvalidOperationException($"Training needs examples of at least two labels of the label set; got {labels.Count}.");
        }

        var ml = new MLContext(options.Seed);
        var data = ml.Data.LoadFromEnumerable(rows);
        var featurizer = BuildFeaturizer(ml, options).Fit(data);
        var featurized = ml.Data.Cache(featurizer.Transform(data));
        var models = options.Learners.Select(l => (ITransformer)BuildTrainer(ml, l, options).Fit(featurized)).ToList();
        var naiveBayes = options.NaiveBayesMember
            ? NaiveBayesLogisticRegression.Train(ml, FeaturesOf(featurized), [.. rows.Select(r => labels.IndexOf(r.Label))], labels.Count, options.NaiveBayesL2)
            : null;
        return new TextClassifier(ml, featurizer, models, naiveBayes, labels, options);
    }

    public ClassPrediction Predict(string title, string? body)
    {
        lock (_gate)
        {
            // Prediction engines are not thread-safe and costly to build: one per member, used under the lock.
            _engines ??= [.. _models.Select(m => _ml.Model.CreatePredictionEngine<TextInput, ScoreOutput>(_featurizer.Append(m)))];
            var input = TextInput.From(title, body, "", Options);
            var sum = new double[Labels.Count];
            foreach (var engine in _engines)
            {
                var scores = engine.Predict(input).Score;
                for (var i = 0; i < sum.Length; i++)
                {
                    sum[i] += scores[i];
                }
            }

            if (_naiveBayes is not null)
            {
                _featureEngine ??= _ml.Model.CreatePredictionEngine<TextInput, FeatureOutput>(_featurizer);
                var features = _featureEngine.Predict(input).Features;
                var probabilities = _naiveBayes.Predict([features])[0];
                for (var i = 0; i < sum.Length; i++)
                {
                    sum[i] += probabilities[i];
                }
            }

            return ToPrediction(sum);
        }
    }

    /// <summary>Scores many tickets in one pass through the ML.NET pipeline (what evaluation uses).</summary>
    public IReadOnlyList<ClassPrediction> PredictMany(IEnumerable<(string Title, string? Body)> tickets)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        var featurized = _featurizer.Transform(_ml.Data.LoadFromEnumerable(tickets.Select(t => TextInput.From(t.Title, t.Body, "", Options))));
        double[][]? sums = null;
        foreach (var model in _models)
        {
            var scores = _ml.Data.CreateEnumerable<ScoreOutput>(model.Transform(featurized), reuseRowObject: false).ToList();
            sums ??= [.. scores.Select(_ => new double[Labels.Count])];
            for (var row = 0; row < scores.Count; row++)
            {
                for (var i = 0; i < Labels.Count; i++)
                {
                    sums[row][i] += scores[row].Score[i];
                }
            }
        }

        if (_naiveBayes is not null)
        {
            var probabilities = _naiveBayes.Predict(FeaturesOf(featurized));
            sums ??= [.. probabilities.Select(_ => new double[Labels.Count])];
            for (var row = 0; row < probabilities.Length; row++)
            {
                for (var i = 0; i < Labels.Count; i++)
                {
                    sums[row][i] += probabilities[row][i];
                }
            }
        }

        return [.. (sums ?? []).Select(ToPrediction)];
    }

    /// <summary>Writes the whole model (label set, options, featurizer, learners) to a stream.</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(FormatVersion);
        writer.Write(JsonSerializer.Serialize(new SavedHeader([.. Labels], Options)));
        var inputSchema = SchemaOf<TextInput>();
        WriteModel(writer, _featurizer, inputSchema);
        var featurizedSchema = _featurizer.GetOutputSchema(inputSchema);
        writer.Write(_models.Count);
        foreach (var model in _models)
        {
            WriteModel(writer, model, featurizedSchema);
        }

        writer.Write(_naiveBayes is not null);
        _naiveBayes?.Save(writer);
    }

    public static TextClassifier Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        var version = reader.ReadInt32();
        if (version is not (1 or FormatVersion))
        {
            throw new InvalidDataException($"Classifier format {version} is not supported (expected {FormatVersion}).");
        }

        var header = JsonSerializer.Deserialize<SavedHeader>(reader.ReadString())
            ?? throw new InvalidDataException("Classifier header is missing.");
        var ml = new MLContext(header.Options.Seed);
        var featurizer = ReadModel(ml, reader);
        var count = reader.ReadInt32();
        var models = new List<ITransformer>(count);
        for (var i = 0; i < count; i++)
        {
            models.Add(ReadModel(ml, reader));
        }

        // Format 1 predates the NB-weighted member.
        var naiveBayes = version >= 2 && reader.ReadBoolean() ? NaiveBayesLogisticRegression.Load(ml, reader) : null;
        return new TextClassifier(ml, featurizer, models, naiveBayes, header.Labels, header.Options);
    }

    private static List<VBuffer<float>> FeaturesOf(IDataView featurized) =>
        [.. featurized.GetColumn<VBuffer<float>>("Features").Select(v =>
        {
            // The cursor may reuse buffers: every row keeps its own copy.
            var copy = default(VBuffer<float>);
            v.CopyTo(ref copy);
            return copy;
        })];

    private ClassPrediction ToPrediction(double[] sums)
    {
        var total = sums.Sum();
        var probabilities = new Dictionary<string, double>(Labels.Count, StringComparer.Ordinal);
        var best = 0;
        for (var i = 0; i < Labels.Count; i++)
        {
            probabilities[Labels[i]] = total > 0 ? sums[i] / total : 1.0 / Labels.Count;
            if (sums[i] > sums[best])
            {
                best = i;
            }
        }

        return new ClassPrediction(Labels[best], probabilities[Labels[best]], probabilities);
    }

    private static IEstimator<ITransformer> BuildFeaturizer(MLContext ml, TextClassifierOptions options)
    {
        TextFeaturizingEstimator.Options TextOptions() => new()
        {
            CaseMode = TextNormalizingEstimator.CaseMode.Lower,
            KeepDiacritics = false,
            KeepPunctuations = false,
            KeepNumbers = true,
            StopWordsRemoverOptions = options.RemoveStopWords ? new StopWordsRemovingEstimator.Options { Language = TextFeaturizingEstimator.Language.English } : null,
            WordFeatureExtractor = new WordBagEstimator.Options
            {
                NgramLength = options.WordNgrams,
                UseAllLengths = true,
                Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf,
            },
            CharFeatureExtractor = options.CharNgrams > 0
                ? new WordBagEstimator.Options
                {
                    NgramLength = options.CharNgrams,
                    UseAllLengths = false,
                    Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf,
                }
                : null,
            Norm = TextFeaturizingEstimator.NormFunction.L2,
        };

        // The template skeleton is short and formulaic: words and word pairs, no character n-grams.
        TextFeaturizingEstimator.Options HeadingOptions() => new()
        {
            CaseMode = TextNormalizingEstimator.CaseMode.Lower,
            KeepPunctuations = false,
            KeepNumbers = false,
            WordFeatureExtractor = new WordBagEstimator.Options
            {
                NgramLength = 2,
                UseAllLengths = true,
                Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf,
            },
            CharFeatureExtractor = null,
            Norm = TextFeaturizingEstimator.NormFunction.L2,
        };

        var columns = new List<string>();
        for (var i = 0; i < options.TitleCopies; i++)
        {
            columns.Add("TitleFeatures");
        }

        columns.Add("BodyFeatures");
        columns.Add("HeadingFeatures");
        columns.Add(nameof(TextInput.Structure));
        return ml.Transforms.Conversion.MapValueToKey("LabelKey", nameof(TextInput.Label), keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.Transforms.Text.FeaturizeText("TitleFeatures", TextOptions(), nameof(TextInput.Title)))
            .Append(ml.Transforms.Text.FeaturizeText("BodyFeatures", TextOptions(), nameof(TextInput.Body)))
            .Append(ml.Transforms.Text.FeaturizeText("HeadingFeatures", HeadingOptions(), nameof(TextInput.Headings)))
            .Append(ml.Transforms.Concatenate("Features", [.. columns]));
    }

    private static IEstimator<ITransformer> BuildTrainer(MLContext ml, LinearLearner learner, TextClassifierOptions options)
    {
        var trainers = ml.MulticlassClassification.Trainers;
        var binary = ml.BinaryClassification.Trainers;
        return learner switch
        {
            LinearLearner.LbfgsMaximumEntropy => trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = "LabelKey",
                L2Regularization = options.L2Regularization,
                L1Regularization = 0,
                OptimizationTolerance = 1e-6f,
                NumberOfThreads = 1,
            }),
            LinearLearner.SdcaMaximumEntropy => trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = "LabelKey",
                L2Regularization = options.L2Regularization / 100,
                L1Regularization = 0,
                MaximumNumberOfIterations = 50,
                NumberOfThreads = 1,
            }),
            LinearLearner.LinearSvm => trainers.OneVersusAll(
                binary.LinearSvm(new LinearSvmTrainer.Options { LabelColumnName = "LabelKey", Lambda = options.L2Regularization / 100, NumberOfIterations = 20 }),
                labelColumnName: "LabelKey"),
            LinearLearner.AveragedPerceptron => trainers.OneVersusAll(
                binary.AveragedPerceptron(new AveragedPerceptronTrainer.Options { LabelColumnName = "LabelKey", NumberOfIterations = 10 }),
                labelColumnName: "LabelKey"),
            _ => throw new ArgumentOutOfRangeException(nameof(learner), learner, null),
        };
    }

    private static DataViewSchema SchemaOf<T>() where T : class =>
        SchemaDefinition.Create(typeof(T)).Aggregate(new DataViewSchema.Builder(), (b, c) =>
        {
            b.AddColumn(c.ColumnName, c.ColumnType);
            return b;
        }).ToSchema();

    private void WriteModel(BinaryWriter writer, ITransformer model, DataViewSchema schema)
    {
        using var buffer = new MemoryStream();
        _ml.Model.Save(model, schema, buffer);
        writer.Write(buffer.Length);
        writer.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static ITransformer ReadModel(MLContext ml, BinaryReader reader)
    {
        var length = reader.ReadInt64();
        using var buffer = new MemoryStream(reader.ReadBytes((int)length));
        return ml.Model.Load(buffer, out _);
    }

    private sealed record SavedHeader(List<string> Labels, TextClassifierOptions Options);

    private sealed class TextInput
    {
        public string Title { get; set; } = "";

        public string Body { get; set; } = "";

        public string Headings { get; set; } = "";

        [VectorType(TriageText.StructureFeatureCount)]
        public float[] Structure { get; set; } = [];

        public string Label { get; set; } = "";

        public static TextInput From(string? title, string? body, string label, TextClassifierOptions options) => new()
        {
            Title = options.Stem ? TriageText.StemWords(TriageText.NormalizeTitle(title)) : TriageText.NormalizeTitle(title),
            Body = options.Stem ? TriageText.StemWords(TriageText.NormalizeBody(body, options.MaxBodyLength)) : TriageText.NormalizeBody(body, options.MaxBodyLength),
            Headings = options.TemplateFeatures ? TriageText.Headings(body) : TriageText.Headings(null),
            Structure = options.StructureFeatures
                ? [.. TriageText.Structure(title, body).Select(v => v * options.StructureWeight)]
                : new float[TriageText.StructureFeatureCount],
            Label = label,
        };
    }

    private sealed class FeatureOutput
    {
        [VectorType]
        public VBuffer<float> Features { get; set; }
    }

    private sealed class ScoreOutput
    {
        [VectorType]
        public float[] Score { get; set; } = [];
    }
}
