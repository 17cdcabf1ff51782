using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AspireTickets.Domain.Similarity;

namespace AspireTickets.Infrastructure.Similarity.Qdrant;

/// <summary>
/// <see cref="IVectorIndex"/> on Qdrant's REST API (<c>ConnectionStrings:qdrant_http</c>): one collection with a
/// dense vector and an IDF-weighted sparse vector, keyword payload indexes for filters. The HttpClient carries
/// the endpoint and the <c>api-key</c> header (see <see cref="QdrantExtensions"/>).
/// </summary>
public sealed class QdrantVectorIndex : IVectorIndex
{
    private readonly HttpClient _http;
    private readonly QdrantOptions _options;
    private readonly string _collection;
    private readonly SemaphoreSlim _ensure = new(1, 1);
    private volatile bool _ready;

    public QdrantVectorIndex(HttpClient http, QdrantOptions options, int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        _http = http;
        _options = options;
        _collection = Uri.EscapeDataString(options.Collection);
        Dimensions = dimensions;
    }

    public int Dimensions { get; }

    public async ValueTask<long> CountAsync(CancellationToken cancellationToken = default)
    {
        await EnsureCollectionAsync(cancellationToken);
        var result = await SendAsync(HttpMethod.Post, $"collections/{_collection}/points/count", QdrantRequests.Count(), cancellationToken);
        return result!["count"]!.GetValue<long>();
    }

    public async ValueTask UpsertAsync(VectorRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Dense.Length != Dimensions)
        {
            throw new ArgumentException($"Expected a dense vector of {Dimensions} dimensions, got {record.Dense.Length}.", nameof(record));
        }
        await EnsureCollectionAsync(cancellationToken);
        // wait=true: the point is searchable when the call returns, as with the in-process index.
        await SendAsync(HttpMethod.Put, $"collections/{_collection}/points?wait=true", QdrantRequests.Upsert([record]), cancellationToken);
    }

    public async ValueTask<bool> DeleteAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await EnsureCollectionAsync(cancellationToken);
        // Qdrant's delete does not say whether the point existed; the port does, so look first.
        var lookup = new JsonObject
        {
            ["ids"] = new JsonArray(QdrantRequests.PointId(id)),
            ["with_payload"] = false,
            ["with_vector"] = false,
        };
        var found = await SendAsync(HttpMethod.Post, $"collections/{_collection}/points", lookup, cancellationToken);
        if (found is not JsonArray { Count: > 0 })
        {
            return false;
        }
        await SendAsync(HttpMethod.Post, $"collections/{_collection}/points/delete?wait=true", QdrantRequests.Delete([id]), cancellationToken);
        return true;
    }

    public async ValueTask<IReadOnlyList<VectorHit>> SearchAsync(VectorSearch query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await EnsureCollectionAsync(cancellationToken);
        var hasDense = !query.Dense.IsEmpty;
        var hasSparse = query.Sparse is { Indices.Length: > 0 };
        if (!hasDense && !hasSparse)
        {
            return [];
        }
        if (hasDense && !hasSparse)
        {
            return Hits(await QueryAsync(QdrantRequests.DenseQuery(query.Dense.Span, query.Filter, query.TopK), cancellationToken), dense: true);
        }
        if (!hasDense)
        {
            return Hits(await QueryAsync(QdrantRequests.SparseQuery(query.Sparse!, query.Filter, query.TopK), cancellationToken), dense: false);
        }

        // Hybrid: the port orders by dense + sparse score and reports both. Qdrant's fused queries return only the
        // fused score, so take an oversampled candidate pool from each signal, then score the whole pool exactly on
        // both signals (a query restricted to the pool's ids) and rank by the sum.
        var pool = Math.Max(query.TopK, 1) * Math.Max(1, _options.HybridOversampling);
        var candidates = await BatchAsync(
            [QdrantRequests.DenseQuery(query.Dense.Span, query.Filter, pool), QdrantRequests.SparseQuery(query.Sparse!, query.Filter, pool)],
            cancellationToken);
        var ids = candidates.SelectMany(points => points).Select(p => p.Id).Distinct().ToList();
        if (ids.Count == 0)
        {
            return [];
        }
        var rescored = await BatchAsync(
            [QdrantRequests.DenseQuery(query.Dense.Span, query.Filter, ids.Count, ids), QdrantRequests.SparseQuery(query.Sparse!, query.Filter, ids.Count, ids)],
            cancellationToken);
        var dense = rescored[0].ToDictionary(p => p.Id);
        var sparse = rescored[1].ToDictionary(p => p.Id);
        return ids
            .Select(id => new VectorHit(
                id,
                dense.TryGetValue(id, out var d) ? d.Score : 0,
                sparse.TryGetValue(id, out var s) ? s.Score : 0,
                (d ?? s)?.Payload ?? new Dictionary<string, string>()))
            .OrderByDescending(h => h.Score)
            .ThenBy(h => h.Id)
            .Take(query.TopK)
            .ToList();
    }

    /// <summary>Creates the collection and its payload indexes if they do not exist yet.</summary>
    public async Task EnsureCollectionAsync(CancellationToken cancellationToken = default)
    {
        if (_ready)
        {
            return;
        }
        await _ensure.WaitAsync(cancellationToken);
        try
        {
            if (_ready)
            {
                return;
            }
            var exists = await SendAsync(HttpMethod.Get, $"collections/{_collection}/exists", null, cancellationToken);
            if (exists?["exists"]?.GetValue<bool>() != true)
            {
                try
                {
                    await SendAsync(HttpMethod.Put, $"collections/{_collection}", QdrantRequests.CreateCollection(Dimensions), cancellationToken);
                }
                catch (QdrantException e) when (e.StatusCode == (int)HttpStatusCode.Conflict)
                {
                    // Another replica created it first.
                }
                foreach (var key in _options.IndexedPayloadKeys)
                {
                    await SendAsync(HttpMethod.Put, $"collections/{_collection}/index?wait=true", QdrantRequests.CreateKeywordIndex(key), cancellationToken);
                }
            }
            _ready = true;
        }
        finally
        {
            _ensure.Release();
        }
    }

    private sealed record ScoredPoint(Guid Id, double Score, IReadOnlyDictionary<string, string> Payload);

    private async Task<List<ScoredPoint>> QueryAsync(JsonObject body, CancellationToken ct) =>
        Points(await SendAsync(HttpMethod.Post, $"collections/{_collection}/points/query", body, ct));

    private async Task<List<List<ScoredPoint>>> BatchAsync(JsonObject[] queries, CancellationToken ct)
    {
        var result = await SendAsync(HttpMethod.Post, $"collections/{_collection}/points/query/batch", QdrantRequests.Batch(queries), ct);
        return result!.AsArray().Select(Points).ToList();
    }

    private static List<ScoredPoint> Points(JsonNode? result) =>
        result?["points"]?.AsArray().Select(p => new ScoredPoint(
            Guid.Parse(p!["id"]!.GetValue<string>()),
            p["score"]?.GetValue<double>() ?? 0,
            p["payload"] is JsonObject payload
                ? payload.Where(kv => kv.Value is JsonValue).ToDictionary(kv => kv.Key, kv => kv.Value!.ToString())
                : new Dictionary<string, string>())).ToList() ?? [];

    private static IReadOnlyList<VectorHit> Hits(List<ScoredPoint> points, bool dense) =>
        points.Select(p => new VectorHit(p.Id, dense ? p.Score : 0, dense ? 0 : p.Score, p.Payload)).ToList();

    /// <summary>Sends one request and returns the response's <c>result</c>; a non-success status becomes a <see cref="QdrantException"/>.</summary>
    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        using var response = await _http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new QdrantException((int)response.StatusCode, $"Qdrant answered {(int)response.StatusCode} to {method} {path}: {ErrorOf(text)}");
        }
        return string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text)?["result"];
    }

    private static string ErrorOf(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["status"]?["error"]?.GetValue<string>() ?? body;
        }
        catch (JsonException)
        {
            return body;
        }
    }
}
