using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace AspireTickets.Tests.Similarity;

/// <summary>
/// A test double of Qdrant's REST API for the operations the adapter uses. Every request is first checked
/// against the official OpenAPI specification (violations are collected in <see cref="ContractViolations"/>),
/// and every answer it gives is checked against the specification's response schema too, so the double
/// cannot drift from the real API's shapes. Scores follow Qdrant's definitions: cosine for the dense vector,
/// dot product with the IDF modifier ln(1 + (N − n + 0.5) / (n + 0.5)) for the sparse one.
/// </summary>
public sealed class QdrantEmulator(OpenApiContract contract, string? apiKey = null) : HttpMessageHandler
{
    private sealed record Point(string Id, float[] Dense, Dictionary<int, float> Sparse, JsonObject Payload);

    private readonly Dictionary<string, Dictionary<string, Point>> _collections = [];
    private readonly object _gate = new();

    public List<string> ContractViolations { get; } = [];
    public List<(HttpMethod Method, string Path, string? Body)> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var text = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var body = string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text);
        lock (_gate)
        {
            Requests.Add((request.Method, request.RequestUri!.PathAndQuery, text));
            ContractViolations.AddRange(contract.CheckRequest(request.Method, request.RequestUri!, body));
            if (apiKey is not null && (!request.Headers.TryGetValues("api-key", out var keys) || keys.Single() != apiKey))
            {
                return Answer(HttpStatusCode.Unauthorized, new JsonObject { ["status"] = new JsonObject { ["error"] = "Invalid api-key" } });
            }
            var result = Handle(request.Method, request.RequestUri!.AbsolutePath.Trim('/').Split('/'), body);
            if (result is null)
            {
                return Answer(HttpStatusCode.NotFound, new JsonObject { ["status"] = new JsonObject { ["error"] = "Not found" } });
            }
            var response = new JsonObject { ["result"] = result, ["status"] = "ok", ["time"] = 0.0001 };
            ContractViolations.AddRange(contract.CheckResponse(request.Method, request.RequestUri!, JsonNode.Parse(response.ToJsonString()))
                .Select(e => "response " + e));
            return Answer(HttpStatusCode.OK, response);
        }
    }

    private static HttpResponseMessage Answer(HttpStatusCode status, JsonObject body) =>
        new(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };

    private JsonNode? Handle(HttpMethod method, string[] path, JsonNode? body)
    {
        if (path.Length < 2 || path[0] != "collections")
        {
            return null;
        }
        var name = path[1];
        var rest = string.Join('/', path.Skip(2));
        switch (method.Method, rest)
        {
            case ("GET", "exists"):
                return new JsonObject { ["exists"] = _collections.ContainsKey(name) };
            case ("PUT", ""):
                _collections.TryAdd(name, []);
                return true;
        }
        if (!_collections.TryGetValue(name, out var points))
        {
            return null;
        }
        switch (method.Method, rest)
        {
            case ("PUT", "index"):
                return Updated();
            case ("PUT", "points"):
                foreach (var p in body!["points"]!.AsArray())
                {
                    var vector = p!["vector"]!.AsObject();
                    var sparse = new Dictionary<int, float>();
                    if (vector["sparse"] is JsonObject s)
                    {
                        var indices = s["indices"]!.AsArray();
                        var values = s["values"]!.AsArray();
                        for (var i = 0; i < indices.Count; i++)
                        {
                            sparse[indices[i]!.GetValue<int>()] = values[i]!.GetValue<float>();
                        }
                    }
                    var id = p["id"]!.GetValue<string>();
                    points[id] = new Point(id, vector["dense"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray(), sparse, p["payload"]?.AsObject().DeepClone().AsObject() ?? []);
                }
                return Updated();
            case ("POST", "points"):
                return new JsonArray([.. body!["ids"]!.AsArray().Select(i => i!.GetValue<string>()).Where(points.ContainsKey)
                    .Select(i => (JsonNode?)new JsonObject { ["id"] = i })]);
            case ("POST", "points/delete"):
                foreach (var id in body!["points"]!.AsArray())
                {
                    points.Remove(id!.GetValue<string>());
                }
                return Updated();
            case ("POST", "points/count"):
                return new JsonObject { ["count"] = points.Count };
            case ("POST", "points/query"):
                return Query(points, body!.AsObject());
            case ("POST", "points/query/batch"):
                return new JsonArray([.. body!["searches"]!.AsArray().Select(q => (JsonNode?)Query(points, q!.AsObject()))]);
            default:
                return null;
        }
    }

    private static JsonObject Updated() => new() { ["operation_id"] = 1, ["status"] = "completed" };

    private static JsonObject Query(Dictionary<string, Point> points, JsonObject query)
    {
        var candidates = points.Values.Where(p => Matches(p, query["filter"] as JsonObject)).ToList();
        var limit = query["limit"]?.GetValue<int>() ?? 10;
        var scored = query["using"]!.GetValue<string>() == "dense"
            ? candidates.Select(p => (p, Cosine(p.Dense, query["query"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray())))
            : SparseScores(points.Values.ToList(), candidates, query["query"]!.AsObject());
        return new JsonObject
        {
            ["points"] = new JsonArray([.. scored
                .Where(s => query["using"]!.GetValue<string>() == "dense" || s.Item2 > 0)
                .OrderByDescending(s => s.Item2).ThenBy(s => s.p.Id, StringComparer.Ordinal).Take(limit)
                .Select(s => (JsonNode?)new JsonObject { ["id"] = s.p.Id, ["version"] = 1, ["score"] = s.Item2, ["payload"] = s.p.Payload.DeepClone() })]),
        };
    }

    private static IEnumerable<(Point p, double)> SparseScores(List<Point> all, List<Point> candidates, JsonObject query)
    {
        var indices = query["indices"]!.AsArray().Select(i => i!.GetValue<int>()).ToArray();
        var values = query["values"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
        var n = all.Count;
        var idf = indices.ToDictionary(i => i, i =>
        {
            var df = all.Count(p => p.Sparse.ContainsKey(i));
            return Math.Log(1 + ((n - df + 0.5) / (df + 0.5)));
        });
        return candidates.Select(p => (p, indices.Select((index, k) => p.Sparse.TryGetValue(index, out var w) ? w * values[k] * idf[index] : 0).Sum()));
    }

    private static bool Matches(Point point, JsonObject? filter)
    {
        if (filter is null)
        {
            return true;
        }
        foreach (var condition in filter["must"]?.AsArray() ?? [])
        {
            if (!Holds(point, condition!.AsObject()))
            {
                return false;
            }
        }
        foreach (var condition in filter["must_not"]?.AsArray() ?? [])
        {
            if (Holds(point, condition!.AsObject()))
            {
                return false;
            }
        }
        return true;
    }

    private static bool Holds(Point point, JsonObject condition) =>
        condition["has_id"] is JsonArray ids
            ? ids.Any(i => i!.GetValue<string>() == point.Id)
            : point.Payload[condition["key"]!.GetValue<string>()]?.ToJsonString() == condition["match"]!["value"]!.ToJsonString();

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }
}
