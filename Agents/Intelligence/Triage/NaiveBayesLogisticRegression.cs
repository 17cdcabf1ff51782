using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace AspireTickets.Agents.Intelligence.Triage;

/// <summary>
/// NB-weighted one-vs-rest logistic regression (Wang &amp; Manning 2012, "Baselines and bigrams", NBSVM with a
/// logistic loss). For each label, every feature is scaled by its naive-Bayes log-count ratio
/// log((p / |p|₁) / (q / |q|₁)), p and q being the smoothed counts of rows of / not of the label in which the
/// feature occurs; a binary L2 logistic regression is then trained on the scaled rows. On a few hundred
/// examples the ratios act as a strong, label-specific prior on which n-grams matter, which plain logistic
/// regression has too little data to learn. The ratios come from the training rows only.
/// </summary>
public sealed class NaiveBayesLogisticRegression
{
    private readonly MLContext _ml;
    private readonly float[][] _ratios;
    private readonly ITransformer[] _models;
    private readonly SchemaDefinition _schema;
    private PredictionEngine<Row, BinaryOutput>[]? _engines;

    private NaiveBayesLogisticRegression(MLContext ml, float[][] ratios, ITransformer[] models)
    {
        _ml = ml;
        _ratios = ratios;
        _models = models;
        _schema = RowSchema(ratios[0].Length);
    }

    public int LabelCount => _ratios.Length;

    /// <summary>Smoothed log-count ratio of every feature for rows with <paramref name="positive"/> set versus the rest;
    /// a feature counts once per row in which it is non-zero.</summary>
    public static float[] LogCountRatios(IReadOnlyList<VBuffer<float>> rows, IReadOnlyList<bool> positive, int dimension, float alpha = 1)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(positive);
        var p = new double[dimension];
        var q = new double[dimension];
        Array.Fill(p, alpha);
        Array.Fill(q, alpha);
        for (var row = 0; row < rows.Count; row++)
        {
            var counts = positive[row] ? p : q;
            var values = rows[row].GetValues();
            var indices = rows[row].GetIndices();
            for (var k = 0; k < values.Length; k++)
            {
                if (values[k] != 0)
                {
                    counts[rows[row].IsDense ? k : indices[k]]++;
                }
            }
        }

        var pSum = p.Sum();
        var qSum = q.Sum();
        var ratios = new float[dimension];
        for (var j = 0; j < dimension; j++)
        {
            ratios[j] = (float)Math.Log(p[j] / pSum / (q[j] / qSum));
        }

        return ratios;
    }

    /// <summary>Trains one binary model per label index (0 … labelCount-1) of <paramref name="labels"/>.</summary>
    /// <param name="countFeatures">Features from this index on are dense measurements (a sentence encoder's vectors),
    /// not occurrences: log-count ratios mean nothing for them (every row "has" them), so they keep their scale.
    /// Null: all features count occurrences.</param>
    public static NaiveBayesLogisticRegression Train(MLContext ml, IReadOnlyList<VBuffer<float>> rows, IReadOnlyList<int> labels, int labelCount, float l2Regularization, int? countFeatures = null)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(labels);
        var dimension = rows.Count == 0 ? 0 : rows[0].Length;
        var schema = RowSchema(dimension);
        var ratios = new float[labelCount][];
        var models = new ITransformer[labelCount];
        for (var c = 0; c < labelCount; c++)
        {
            var positive = labels.Select(l => l == c).ToList();
            ratios[c] = LogCountRatios(rows, positive, dimension);
            Array.Fill(ratios[c], 1f, countFeatures ?? dimension, dimension - (countFeatures ?? dimension));
            var scaled = rows.Select((r, i) => new Row { Features = Scale(r, ratios[c]), Label = positive[i] }).ToList();
            var trainer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                L2Regularization = l2Regularization,
                L1Regularization = 0,
                OptimizationTolerance = 1e-6f,
                NumberOfThreads = 1,
            });
            models[c] = trainer.Fit(ml.Data.LoadFromEnumerable(scaled, schema));
        }

        return new NaiveBayesLogisticRegression(ml, ratios, models);
    }

    /// <summary>Per row, the one-vs-rest probabilities normalized to sum to 1.</summary>
    public double[][] Predict(IReadOnlyList<VBuffer<float>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var result = rows.Select(_ => new double[_ratios.Length]).ToArray();
        for (var c = 0; c < _ratios.Length; c++)
        {
            var scaled = rows.Select(r => new Row { Features = Scale(r, _ratios[c]) }).ToList();
            var outputs = _ml.Data.CreateEnumerable<BinaryOutput>(_models[c].Transform(_ml.Data.LoadFromEnumerable(scaled, _schema)), reuseRowObject: false).ToList();
            for (var i = 0; i < outputs.Count; i++)
            {
                result[i][c] = outputs[i].Probability;
            }
        }

        foreach (var probabilities in result)
        {
            Normalize(probabilities);
        }

        return result;
    }

    private static void Normalize(double[] probabilities)
    {
        var sum = probabilities.Sum();
        for (var c = 0; c < probabilities.Length; c++)
        {
            probabilities[c] = sum > 0 ? probabilities[c] / sum : 1.0 / probabilities.Length;
        }
    }

    /// <summary>One row's normalized probabilities through cached prediction engines: building data views per
    /// call costs milliseconds. Not thread-safe; the caller serializes calls.</summary>
    public double[] PredictOne(VBuffer<float> row)
    {
        _engines ??= [.. _models.Select(m => _ml.Model.CreatePredictionEngine<Row, BinaryOutput>(m, inputSchemaDefinition: _schema))];
        var probabilities = new double[_ratios.Length];
        for (var c = 0; c < _ratios.Length; c++)
        {
            probabilities[c] = _engines[c].Predict(new Row { Features = Scale(row, _ratios[c]) }).Probability;
        }

        Normalize(probabilities);
        return probabilities;
    }

    public void Save(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_ratios.Length);
        writer.Write(_ratios[0].Length);
        var schema = _ml.Data.LoadFromEnumerable(Array.Empty<Row>(), _schema).Schema;
        for (var c = 0; c < _ratios.Length; c++)
        {
            foreach (var r in _ratios[c])
            {
                writer.Write(r);
            }

            using var buffer = new MemoryStream();
            _ml.Model.Save(_models[c], schema, buffer);
            writer.Write(buffer.Length);
            writer.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
    }

    public static NaiveBayesLogisticRegression Load(MLContext ml, BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(reader);
        var labelCount = reader.ReadInt32();
        var dimension = reader.ReadInt32();
        var ratios = new float[labelCount][];
        var models = new ITransformer[labelCount];
        for (var c = 0; c < labelCount; c++)
        {
            ratios[c] = new float[dimension];
            for (var j = 0; j < dimension; j++)
            {
                ratios[c][j] = reader.ReadSingle();
            }

            var length = reader.ReadInt64();
            using var buffer = new MemoryStream(reader.ReadBytes((int)length));
            models[c] = ml.Model.Load(buffer, out _);
        }

        return new NaiveBayesLogisticRegression(ml, ratios, models);
    }

    private static VBuffer<float> Scale(VBuffer<float> row, float[] ratios)
    {
        var values = row.GetValues();
        var scaled = new float[values.Length];
        if (row.IsDense)
        {
            for (var k = 0; k < values.Length; k++)
            {
                scaled[k] = values[k] * ratios[k];
            }

            return new VBuffer<float>(row.Length, scaled);
        }

        var indices = row.GetIndices();
        for (var k = 0; k < values.Length; k++)
        {
            scaled[k] = values[k] * ratios[indices[k]];
        }

        return new VBuffer<float>(row.Length, values.Length, scaled, indices.ToArray());
    }

    private static SchemaDefinition RowSchema(int dimension)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        return schema;
    }

    private sealed class Row
    {
        public VBuffer<float> Features { get; set; }

        public bool Label { get; set; }
    }

    private sealed class BinaryOutput
    {
        public float Probability { get; set; }
    }
}
