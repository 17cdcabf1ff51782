using System.Globalization;
using System.Text.Json.Nodes;
using AspireTickets.Domain.Similarity;

namespace AspireTickets.Infrastructure.Similarity.Qdrant;

/// <summary>
/// The JSON bodies the adapter sends, built in one place so that tests can check each of them against the
/// Qdrant OpenAPI specification (v1.19) the adapter is written for.
/// </summary>
public static class QdrantRequests
{
    public const string DenseVector = "dense";
    public const string SparseVector = "sparse";

    /// <summary>PUT /collections/{name}: a named dense vector (cosine) and a sparse vector whose weights Qdrant scales by IDF.</summary>
    public static JsonObject CreateCollection(int dimensions) => new()
    {
        ["vectors"] = new JsonObject
        {
            [DenseVector] = new JsonObject { ["size"] = dimensions, ["distance"] = "Cosine" },
        },
        ["sparse_vectors"] = new JsonObject
        {
            [SparseVector] = new JsonObject { ["modifier"] = "idf" },
        },
    };

    /// <summary>PUT /collections/{name}/index</summary>
    public static JsonObject CreateKeywordIndex(string field) => new()
    {
        ["field_name"] = field,
        ["field_schema"] = "keyword",
    };

    /// <summary>PUT /collections/{name}/points</summary>
    public static JsonObject Upsert(IEnumerable<VectorRecord> records)
    {
        var points = new JsonArray();
        foreach (var record in records)
        {
            var vector = new JsonObject { [DenseVector] = Dense(record.Dense.Span) };
            if (record.Sparse is { Indices.Length: > 0 } sparse)
            {
                vector[SparseVector] = Sparse(sparse);
            }
            var point = new JsonObject { ["id"] = PointId(record.Id), ["vector"] = vector };
            if (record.Payload is { Count: > 0 } payload)
            {
                point["payload"] = new JsonObject(payload.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value))));
            }
            points.Add(point);
        }
        return new JsonObject { ["points"] = points };
    }

    /// <summary>POST /collections/{name}/points/delete</summary>
    public static JsonObject Delete(IEnumerable<Guid> ids) => new()
    {
        ["points"] = new JsonArray([.. ids.Select(id => (JsonNode?)JsonValue.Create(PointId(id)))]),
    };

    /// <summary>POST /collections/{name}/points/count</summary>
    public static JsonObject Count() => new() { ["exact"] = true };

    /// <summary>One nearest-neighbour query on the dense vector, as a body of POST …/points/query or an item of …/query/batch.</summary>
    public static JsonObject DenseQuery(ReadOnlySpan<float> vector, VectorFilter? filter, int limit, IReadOnlyCollection<Guid>? onlyIds = null) =>
        Query(Dense(vector), DenseVector, filter, limit, onlyIds);

    /// <summary>One query on the sparse vector (dot product of IDF-weighted term weights).</summary>
    public static JsonObject SparseQuery(SparseVector vector, VectorFilter? filter, int limit, IReadOnlyCollection<Guid>? onlyIds = null) =>
        Query(Sparse(vector), SparseVector, filter, limit, onlyIds);

    /// <summary>POST /collections/{name}/points/query/batch</summary>
    public static JsonObject Batch(params JsonObject[] queries) => new()
    {
        ["searches"] = new JsonArray([.. queries]),
    };

    /// <summary>
    /// A filter: every payload key must match its value; excluded ids and, for re-scoring a candidate pool,
    /// only the given ids.
    /// </summary>
    public static JsonObject? Filter(VectorFilter? filter, IReadOnlyCollection<Guid>? onlyIds)
    {
        var must = new JsonArray();
        foreach (var (key, value) in filter?.Match ?? new Dictionary<string, string>())
        {
            must.Add(new JsonObject { ["key"] = key, ["match"] = new JsonObject { ["value"] = value } });
        }
        if (onlyIds is { Count: > 0 })
        {
            must.Add(HasId(onlyIds));
        }
        var mustNot = new JsonArray();
        if (filter?.ExcludeIds is { Count: > 0 } excluded)
        {
            mustNot.Add(HasId(excluded));
        }
        if (must.Count == 0 && mustNot.Count == 0)
        {
            return null;
        }
        var result = new JsonObject();
        if (must.Count > 0)
        {
            result["must"] = must;
        }
        if (mustNot.Count > 0)
        {
            result["must_not"] = mustNot;
        }
        return result;
    }

    public static string PointId(Guid id) => id.ToString("D", CultureInfo.InvariantCulture);

    private static JsonObject Query(JsonNode query, string vectorName, VectorFilter? filter, int limit, IReadOnlyCollection<Guid>? onlyIds)
    {
        var body = new JsonObject
        {
            ["query"] = query,
            ["using"] = vectorName,
            ["limit"] = Math.Max(1, limit),
            ["with_payload"] = true,
        };
        if (Filter(filter, onlyIds) is { } qdrantFilter)
        {
            body["filter"] = qdrantFilter;
        }
        return body;
    }

    private static JsonObject HasId(IEnumerable<Guid> ids) => new()
    {
        ["has_id"] = new JsonArray([.. ids.Distinct().Select(id => (JsonNode?)JsonValue.Create(PointId(id)))]),
    };

    private static JsonArray Dense(ReadOnlySpan<float> vector)
    {
        var array = new JsonArray();
        foreach (var value in vector)
        {
            array.Add(value);
        }
        return array;
    }

    private static JsonObject Sparse(SparseVector vector) => new()
    {
        ["indices"] = new JsonArray([.. vector.Indices.Select(i => (JsonNode?)JsonValue.Create((uint)i))]),
        ["values"] = new JsonArray([.. vector.Values.Select(v => (JsonNode?)JsonValue.Create(v))]),
    };
}
