using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AspireTickets.Tests.Api;

/// <summary>One parameter of an operation, as the OpenAPI document declares it.</summary>
public sealed record ApiParameter(string Name, string In, string? Type, string? Format, IReadOnlyList<string> Enum);

/// <summary>One operation of the product's OpenAPI document: method, path template, parameters and JSON body schema.</summary>
public sealed record ApiOperation(string Method, string Path, IReadOnlyList<ApiParameter> Parameters, JsonNode? BodySchema)
{
    public string Key => $"{Method} {Path}";

    public IEnumerable<ApiParameter> PathParameters => Parameters.Where(p => p.In == "path");

    public IEnumerable<ApiParameter> QueryParameters => Parameters.Where(p => p.In == "query");

    public bool TakesBody => Method is "POST" or "PUT" or "PATCH";

    /// <summary>The path with each parameter replaced by <paramref name="value"/> (escaped as a path segment).</summary>
    public string PathWith(Func<ApiParameter, string> value) =>
        PathParameters.Aggregate(Path, (path, parameter) => path.Replace("{" + parameter.Name + "}", Uri.EscapeDataString(value(parameter))));

    /// <summary>A value the parameter accepts: a fresh GUID for ids, the first allowed value of an enum, else a word.</summary>
    public static string PlausibleValue(ApiParameter parameter) => parameter switch
    {
        { Format: "uuid" } => Guid.NewGuid().ToString(),
        { Enum.Count: > 0 } => parameter.Enum[0],
        { Type: "integer" or "number" } => "1",
        { Type: "boolean" } => "true",
        _ => "no-such-" + parameter.Name,
    };
}

/// <summary>Reads the operations of the running product's <c>/openapi/v1.json</c>.</summary>
public static class ProductOperations
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    public static async Task<(IReadOnlyList<ApiOperation> Operations, JsonObject Document)> ReadAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var document = (await client.GetFromJsonAsync<JsonObject>("/openapi/v1.json", cancellationToken))!;
        var operations = new List<ApiOperation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject().Where(o => Methods.Contains(o.Key)))
            {
                var parameters = (operation!["parameters"] as JsonArray ?? []).Select(p =>
                {
                    var schema = Resolve(document, p!["schema"]);
                    return new ApiParameter(
                        p["name"]!.GetValue<string>(),
                        p["in"]!.GetValue<string>(),
                        TypeOf(schema),
                        schema?["format"]?.GetValue<string>(),
                        [.. (schema?["enum"] as JsonArray ?? []).Select(e => e?.ToString() ?? "")]);
                }).ToList();
                var body = Resolve(document, operation["requestBody"]?["content"]?["application/json"]?["schema"]);
                operations.Add(new ApiOperation(method.ToUpperInvariant(), path, parameters, body));
            }
        }
        return (operations, document);
    }

    /// <summary>The schema a <c>$ref</c> points to (or the schema itself).</summary>
    public static JsonNode? Resolve(JsonObject document, JsonNode? schema)
    {
        for (var hops = 0; schema?["$ref"] is { } reference && hops < 16; hops++)
        {
            schema = reference.GetValue<string>().TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Aggregate((JsonNode?)document, (node, segment) => node?[segment]);
        }
        return schema;
    }

    /// <summary>The schema's type, the non-null one when OpenAPI 3.1 lists several (<c>["string", "null"]</c>).</summary>
    public static string? TypeOf(JsonNode? schema) => schema?["type"] switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonArray types => types.Select(t => t?.GetValue<string>()).FirstOrDefault(t => t is not "null"),
        _ => null,
    };
}
