using System.Text.Json;
using AspireTickets.Agents.Intelligence.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

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
    /// <summary>ML.NET members of the ensemble; their probabilities are averaged with the NB-weighted member's.
    /// None by default: on the word-bounded n-gram features the NB-weighted member alone scores higher on
    /// NLBSE'24 (5-fold mean macro-F1 0.789) than averaged with multinomial logistic regression (0.779).</summary>
    public IReadOnlyList<LinearLearner> Learners { get; init; } = [];

    public float L2Regularization { get; init; } = 0.1f;

    /// <summary>Longest word n-gram (1 = bag of words).</summary>
    public int WordNgrams { get; init; } = 2;

    /// <summary>Shortest character n-gram within a word (0 = no character n-grams).</summary>
    public int CharNgramMin { get; init; } = 3;

    /// <summary>Longest character n-gram within a word (0 = no character n-grams).</summary>
    public int CharNgramMax { get; init; } = 5;

    /// <summary>Whether term frequency counts as 1 + ln tf: repeating a word in a paste is little new evidence.</summary>
    public bool SublinearTf { get; init; } = true;

    /// <summary>N-grams in fewer training tickets than this are not features (with large histories, most
    /// n-grams are seen once and only cost memory).</summary>
    public int MinDocumentFrequency { get; init; } = 1;

    /// <summary>Weight of the title's unit-length feature vector relative to the body's: the title is the
    /// reporter's own summary, so it should count more than any single body paragraph.</summary>
    public float TitleWeight { get; init; } = 1.41f;

    public int Seed { get; init; } = 1;

    /// <summary>Whether words are reduced to their Porter stems before n-grams are counted: with a few
    /// hundred examples, "crashes"/"crashed"/"crashing" should be one piece of evidence.</summary>
    public bool Stem { get; init; } = true;

    /// <summary>Whether the structural features (<see cref="TriageText.Structure"/>) enter the model.</summary>
    public bool StructureFeatures { get; init; } = true;

    /// <summary>Multiplier of the structural features relative to the L2-normalized text blocks.</summary>
    public float StructureWeight { get; init; } = 1;

    /// <summary>Whether the issue-template skeleton (<see cref="TriageText.Headings"/>) is a feature block of its
    /// own. A small effect on NLBSE'24 (5-fold mean macro-F1 0.773 with, 0.770 without), kept because help-desk
    /// forms are templates too.</summary>
    public bool TemplateFeatures { get; init; } = true;

    /// <summary>Whether an NB-weighted one-vs-rest logistic regression (<see cref="NaiveBayesLogisticRegression"/>)
    /// over the same features joins the ensemble.</summary>
    public bool NaiveBayesMember { get; init; } = true;

    /// <summary>L2 regularization of the NB-weighted member's binary models.</summary>
    public float NaiveBayesL2 { get; init; } = 1f;

    /// <summary>Body characters kept (after code blocks are collapsed).</summary>
    public int MaxBodyLength { get; init; } = TriageText.DefaultMaxBodyLength;

    /// <summary>
    /// Weight of the sentence encoder's vectors (one of the title, one of <see cref="TriageText.EncoderText"/>) beside
    /// the unit-length n-gram blocks, when the classifier is trained with an encoder; 0 leaves them out. On NLBSE'24
    /// (5-fold mean macro-F1 with all-MiniLM-L6-v2, <c>eval triage --encoder-weight</c>): 1.5 and 2 score 0.803, 3 scores
    /// 0.799, against 0.789 without the encoder.
    /// </summary>
    public float EncoderWeight { get; init; } = 2f;
}

/// <summary>
/// A linear text classifier: title and body each become sublinear TF-IDF word and word-bounded character
/// n-grams (<see cref="NgramVocabulary"/>), the issue-template skeleton word n-grams, plus structural
/// features (<see cref="TriageText.Structure"/>) and, when trained with a sentence encoder (<see cref="ITextEncoder"/>),
/// its vectors of the title and of the ticket; one or several ML.NET linear learners are trained and their
/// class probabilities averaged. Only labels from the given label set can come out. The vocabularies and IDF
/// are fitted on the training examples only.
/// </summary>
public sealed class TextClassifier
{
    private const int FormatVersion = 4;

    private readonly MLContext _ml;
    private readonly TicketFeatures _features;
    private readonly IReadOnlyList<ITransformer> _models;
    private readonly NaiveBayesLogisticRegression? _naiveBayes;
    private readonly ITextEncoder? _encoder;
    private readonly SchemaDefinition _schema;
    private readonly Lock _gate = new();
    private List<PredictionEngine<FeatureRow, ScoreOutput>>? _engines;

    private TextClassifier(MLContext ml, TicketFeatures features, IReadOnlyList<ITransformer> models, NaiveBayesLogisticRegression? naiveBayes, ITextEncoder? encoder, IReadOnlyList<string> labels, TextClassifierOptions options)
    {
        _ml = ml;
        _features = features;
        _models = models;
        _naiveBayes = naiveBayes;
        _encoder = encoder;
        _schema = FeatureRow.Schema(features.Dimension, labels.Count);
        Labels = labels;
        Options = options;
    }

    /// <summary>The labels the model can emit, in score order.</summary>
    public IReadOnlyList<string> Labels { get; }

    public TextClassifierOptions Options { get; }

    /// <summary>The sentence encoder whose vectors the model reads; null when it reads n-grams only.</summary>
    public string? EncoderName => _encoder?.Name;

    /// <param name="encoder">A sentence encoder whose vectors join the features (unless
    /// <see cref="TextClassifierOptions.EncoderWeight"/> is 0); the model then needs the same encoder to predict.</param>
    /// <param name="ct">Stops the encoding, the long part of training with an encoder (a large history takes minutes).</param>
    public static TextClassifier Train(IEnumerable<LabelledText> examples, IReadOnlyCollection<string> labelSet, TextClassifierOptions? options = null, ITextEncoder? encoder = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(labelSet);
        options ??= new TextClassifierOptions();
        var canonical = labelSet.ToDictionary(l => l, l => l, StringComparer.OrdinalIgnoreCase);
        // Rows labelled outside the label set are not evidence for any label we may emit.
        if (options.EncoderWeight <= 0)
        {
            encoder = null;
        }

        var kept = examples.Where(e => canonical.ContainsKey(e.Label.Trim())).ToList();
        var encoded = Encode(encoder, kept.Select(e => (e.Title, e.Body)).ToList(), ct);
        var rows = kept
            .Select((e, i) => (Text: TicketText.From(e.Title, e.Body, options, encoded?[i]), Label: canonical[e.Label.Trim()]))
            .ToList();
        var labels = rows.Select(r => r.Label).Distinct().Order(StringComparer.Ordinal).ToList();
        if (labels.Count < 2)
        {
            throw new InvalidOperationException($"Training needs examples of at least two labels of the label set; got {labels.Count}.");
        }

        if (options.Learners.Count == 0 && !options.NaiveBayesMember)
        {
            throw new ArgumentException("The ensemble needs at least one member.", nameof(options));
        }

        var ml = new MLContext(options.Seed);
        var features = TicketFeatures.Fit([.. rows.Select(r => r.Text)], options, encoder is null ? 0 : 2 * encoder.Dimension);
        var vectors = rows.Select(r => features.Featurize(r.Text)).ToList();
        var classes = rows.Select(r => labels.IndexOf(r.Label)).ToList();
        var data = ml.Data.Cache(ml.Data.LoadFromEnumerable(
            vectors.Select((v, i) => new FeatureRow { Features = v, Label = (uint)classes[i] }),
            FeatureRow.Schema(features.Dimension, labels.Count)));
        var models = options.Learners.Select(l => (ITransformer)BuildTrainer(ml, l, options).Fit(data)).ToList();
        var naiveBayes = options.NaiveBayesMember
            ? NaiveBayesLogisticRegression.Train(ml, vectors, classes, labels.Count, options.NaiveBayesL2, features.CountDimension)
            : null;
        return new TextClassifier(ml, features, models, naiveBayes, encoder, labels, options);
    }

    public ClassPrediction Predict(string title, string? body)
    {
        var encoded = Encode(_encoder, [(title, body)])?[0];
        var row = new FeatureRow { Features = _features.Featurize(TicketText.From(title, body, Options, encoded)) };
        lock (_gate)
        {
            // Prediction engines are not thread-safe and costly to build: one per member, used under the lock.
            _engines ??= [.. _models.Select(m => _ml.Model.CreatePredictionEngine<FeatureRow, ScoreOutput>(m, inputSchemaDefinition: _schema))];
            var sum = new double[Labels.Count];
            foreach (var engine in _engines)
            {
                Add(sum, engine.Predict(row).Score);
            }

            if (_naiveBayes is not null)
            {
                Add(sum, _naiveBayes.PredictOne(row.Features));
            }

            return ToPrediction(sum);
        }
    }

    /// <summary>Scores many tickets in one pass through each member (what evaluation uses).</summary>
    public IReadOnlyList<ClassPrediction> PredictMany(IEnumerable<(string Title, string? Body)> tickets)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        var list = tickets.ToList();
        var encoded = Encode(_encoder, list);
        var vectors = list.Select((t, i) => _features.Featurize(TicketText.From(t.Title, t.Body, Options, encoded?[i]))).ToList();
        var sums = vectors.Select(_ => new double[Labels.Count]).ToList();
        var data = _ml.Data.LoadFromEnumerable(vectors.Select(v => new FeatureRow { Features = v }), _schema);
        foreach (var model in _models)
        {
            var scores = _ml.Data.CreateEnumerable<ScoreOutput>(model.Transform(data), reuseRowObject: false).ToList();
            for (var row = 0; row < scores.Count; row++)
            {
                Add(sums[row], scores[row].Score);
            }
        }

        if (_naiveBayes is not null)
        {
            var probabilities = _naiveBayes.Predict(vectors);
            for (var row = 0; row < probabilities.Length; row++)
            {
                Add(sums[row], probabilities[row]);
            }
        }

        return [.. sums.Select(ToPrediction)];
    }

    /// <summary>Writes the whole model (label set, options, vocabularies, learners) to a stream.</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(FormatVersion);
        writer.Write(JsonSerializer.Serialize(new SavedHeader([.. Labels], Options, _encoder?.Name)));
        _features.Save(writer);
        var schema = _ml.Data.LoadFromEnumerable(Array.Empty<FeatureRow>(), _schema).Schema;
        writer.Write(_models.Count);
        foreach (var model in _models)
        {
            using var buffer = new MemoryStream();
            _ml.Model.Save(model, schema, buffer);
            writer.Write(buffer.Length);
            writer.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
        }

        writer.Write(_naiveBayes is not null);
        _naiveBayes?.Save(writer);
    }

    /// <param name="encoder">The sentence encoder, for a model trained with one; it must be the same encoder.</param>
    public static TextClassifier Load(Stream stream, ITextEncoder? encoder = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        var version = reader.ReadInt32();
        if (version != FormatVersion)
        {
            // Older formats held ML.NET text featurizers: the host retrains from history instead.
            throw new InvalidDataException($"Classifier format {version} is not supported (expected {FormatVersion}).");
        }

        var header = JsonSerializer.Deserialize<SavedHeader>(reader.ReadString())
            ?? throw new InvalidDataException("Classifier header is missing.");
        if (header.Encoder is not null && header.Encoder != encoder?.Name)
        {
            throw new InvalidDataException(
                $"The classifier reads vectors of the sentence encoder '{header.Encoder}', but {(encoder is null ? "no encoder" : $"'{encoder.Name}'")} is configured.");
        }

        var ml = new MLContext(header.Options.Seed);
        var features = TicketFeatures.Load(reader);
        var count = reader.ReadInt32();
        var models = new List<ITransformer>(count);
        for (var i = 0; i < count; i++)
        {
            var length = reader.ReadInt64();
            using var buffer = new MemoryStream(reader.ReadBytes((int)length));
            models.Add(ml.Model.Load(buffer, out _));
        }

        var naiveBayes = reader.ReadBoolean() ? NaiveBayesLogisticRegression.Load(ml, reader) : null;
        return new TextClassifier(ml, features, models, naiveBayes, header.Encoder is null ? null : encoder, header.Labels, header.Options);
    }

    /// <summary>
    /// Per ticket, the encoder's vector of the title followed by its vector of the whole ticket: what a classifier
    /// trained with <paramref name="encoder"/> reads. Titles and texts go to the encoder in one call, so one ticket is
    /// one batch; running it ahead over many tickets fills a <see cref="CachedTextEncoder"/> for later training.
    /// </summary>
    public static float[][] EncodeTickets(ITextEncoder encoder, IReadOnlyList<(string Title, string? Body)> tickets, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(tickets);
        var vectors = encoder.Encode(
            [.. tickets.Select(t => TriageText.EncoderTitle(t.Title)), .. tickets.Select(t => TriageText.EncoderText(t.Title, t.Body))], ct);
        return [.. tickets.Select((_, i) => (float[])[.. vectors[i], .. vectors[tickets.Count + i]])];
    }

    private static float[][]? Encode(ITextEncoder? encoder, IReadOnlyList<(string Title, string? Body)> tickets, CancellationToken ct = default) =>
        encoder is null ? null : EncodeTickets(encoder, tickets, ct);

    private static void Add(double[] sum, IReadOnlyList<float> scores)
    {
        for (var i = 0; i < sum.Length; i++)
        {
            sum[i] += scores[i];
        }
    }

    private static void Add(double[] sum, double[] probabilities)
    {
        for (var i = 0; i < sum.Length; i++)
        {
            sum[i] += probabilities[i];
        }
    }

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

    private static IEstimator<ITransformer> BuildTrainer(MLContext ml, LinearLearner learner, TextClassifierOptions options)
    {
        var trainers = ml.MulticlassClassification.Trainers;
        var binary = ml.BinaryClassification.Trainers;
        return learner switch
        {
            LinearLearner.LbfgsMaximumEntropy => trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                L2Regularization = options.L2Regularization,
                L1Regularization = 0,
                OptimizationTolerance = 1e-6f,
                NumberOfThreads = 1,
            }),
            LinearLearner.SdcaMaximumEntropy => trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                L2Regularization = options.L2Regularization / 100,
                L1Regularization = 0,
                MaximumNumberOfIterations = 50,
                NumberOfThreads = 1,
            }),
            LinearLearner.LinearSvm => trainers.OneVersusAll(
                binary.LinearSvm(new LinearSvmTrainer.Options { Lambda = options.L2Regularization / 100, NumberOfIterations = 20 })),
            LinearLearner.AveragedPerceptron => trainers.OneVersusAll(
                binary.AveragedPerceptron(new AveragedPerceptronTrainer.Options { NumberOfIterations = 10 })),
            _ => throw new ArgumentOutOfRangeException(nameof(learner), learner, null),
        };
    }

    private sealed record SavedHeader(List<string> Labels, TextClassifierOptions Options, string? Encoder);

    /// <summary>A ticket's text as the featurizer reads it: normalized (and stemmed) title and body, the
    /// template skeleton, the structural measurements and the encoder's vectors (none without an encoder).</summary>
    private sealed record TicketText(string Title, string Body, string Headings, float[] Structure, float[] Encoded)
    {
        public static TicketText From(string? title, string? body, TextClassifierOptions options, float[]? encoded) => new(
            options.Stem ? TriageText.StemWords(TriageText.NormalizeTitle(title)) : TriageText.NormalizeTitle(title),
            options.Stem ? TriageText.StemWords(TriageText.NormalizeBody(body, options.MaxBodyLength)) : TriageText.NormalizeBody(body, options.MaxBodyLength),
            options.TemplateFeatures ? TriageText.Headings(body) : "",
            options.StructureFeatures
                ? [.. TriageText.Structure(title, body).Select(v => v * options.StructureWeight)]
                : new float[TriageText.StructureFeatureCount],
            encoded is null ? [] : [.. encoded.Select(v => v * options.EncoderWeight)]);
    }

    /// <summary>The feature space: title, body and template vocabularies side by side, then the structure, then the
    /// encoder's dense vectors (last, so that <see cref="CountDimension"/> ends where they begin).</summary>
    private sealed class TicketFeatures(NgramVocabulary title, NgramVocabulary body, NgramVocabulary headings, float titleWeight, int encodedDimension)
    {
        /// <summary>Features that count occurrences (n-grams and structure), before the encoder's vectors.</summary>
        public int CountDimension => title.Count + body.Count + headings.Count + TriageText.StructureFeatureCount;

        public int Dimension => CountDimension + encodedDimension;

        public static TicketFeatures Fit(IReadOnlyList<TicketText> texts, TextClassifierOptions options, int encodedDimension)
        {
            var spec = new NgramSpec
            {
                WordNgrams = options.WordNgrams,
                CharNgramMin = options.CharNgramMin,
                CharNgramMax = options.CharNgramMax,
                MinDocumentFrequency = options.MinDocumentFrequency,
                SublinearTf = options.SublinearTf,
            };
            // The template skeleton is short and formulaic: words and word pairs, no character n-grams.
            var headingSpec = spec with { WordNgrams = 2, CharNgramMax = 0 };
            return new TicketFeatures(
                NgramVocabulary.Fit([.. texts.Select(t => t.Title)], spec),
                NgramVocabulary.Fit([.. texts.Select(t => t.Body)], spec),
                NgramVocabulary.Fit([.. texts.Select(t => t.Headings)], headingSpec),
                options.TitleWeight,
                encodedDimension);
        }

        public VBuffer<float> Featurize(TicketText text)
        {
            var features = new List<KeyValuePair<int, float>>();
            title.Featurize(text.Title, 0, titleWeight, features);
            body.Featurize(text.Body, title.Count, 1, features);
            headings.Featurize(text.Headings, title.Count + body.Count, 1, features);
            var structureOffset = title.Count + body.Count + headings.Count;
            for (var i = 0; i < text.Structure.Length; i++)
            {
                if (text.Structure[i] != 0)
                {
                    features.Add(new(structureOffset + i, text.Structure[i]));
                }
            }

            if (text.Encoded.Length != encodedDimension)
            {
                throw new InvalidOperationException($"The model reads {encodedDimension} encoder dimensions; the ticket has {text.Encoded.Length}.");
            }

            for (var i = 0; i < text.Encoded.Length; i++)
            {
                features.Add(new(CountDimension + i, text.Encoded[i]));
            }

            features.Sort((a, b) => a.Key.CompareTo(b.Key));
            return new VBuffer<float>(Dimension, features.Count, [.. features.Select(f => f.Value)], [.. features.Select(f => f.Key)]);
        }

        public void Save(BinaryWriter writer)
        {
            writer.Write(titleWeight);
            writer.Write(encodedDimension);
            title.Save(writer);
            body.Save(writer);
            headings.Save(writer);
        }

        public static TicketFeatures Load(BinaryReader reader)
        {
            var weight = reader.ReadSingle();
            var encodedDimension = reader.ReadInt32();
            return new TicketFeatures(NgramVocabulary.Load(reader), NgramVocabulary.Load(reader), NgramVocabulary.Load(reader), weight, encodedDimension);
        }
    }

    private sealed class FeatureRow
    {
        public VBuffer<float> Features { get; set; }

        public uint Label { get; set; }

        /// <summary>Features of a fixed width and the label as a key: the class index 0 … labels-1 (ML.NET
        /// loads a key field's value v as the key v + 1; 0 is left for "missing").</summary>
        public static SchemaDefinition Schema(int dimension, int labelCount)
        {
            var schema = SchemaDefinition.Create(typeof(FeatureRow));
            schema[nameof(Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
            schema[nameof(Label)].ColumnType = new KeyDataViewType(typeof(uint), labelCount);
            return schema;
        }
    }

    private sealed class ScoreOutput
    {
        [VectorType]
        public float[] Score { get; set; } = [];
    }
}
