using System.Text.Json.Nodes;
using AspireTickets.Tests.Api;

namespace AspireTickets.Tests.Fuzz;

/// <summary>
/// A plausible JSON value for an OpenAPI schema: every declared member with a value of its type (the first enum
/// value, a fresh GUID for uuids, a fixed instant for date-times). Mutating one member of it reaches the validation
/// of that member, where a body of junk would stop at the first check.
/// </summary>
public static class SchemaSample
{
    public static JsonNode? For(JsonObject document, JsonNode? schema, int depth = 0)
    {
        schema = ProductOperations.Resolve(document, schema);
        if (schema is null || depth > 6)
        {
            return null;
        }
        if (schema["enum"] is JsonArray { Count: > 0 } values)
        {
            return values.First(v => v is not null)?.DeepClone();
        }
        if ((schema["oneOf"] ?? schema["anyOf"]) is JsonArray { Count: > 0 } choices)
        {
            return For(document, choices.FirstOrDefault(c => ProductOperations.TypeOf(ProductOperations.Resolve(document, c)) is not "null"), depth + 1);
        }
        return ProductOperations.TypeOf(schema) switch
        {
            "object" or null when schema["properties"] is JsonObject properties => new JsonObject(properties
                .Select(p => KeyValuePair.Create(p.Key, For(document, p.Value, depth + 1)))),
            "array" => new JsonArray(For(document, schema["items"], depth + 1)),
            "integer" => 1,
            "number" => 1.5,
            "boolean" => true,
            "string" => schema["format"]?.GetValue<string>() switch
            {
                "uuid" => Guid.NewGuid().ToString(),
                "date-time" => "2026-03-02T09:00:00Z",
                "date" => "2026-03-02",
                _ => "sample",
            },
            _ => new JsonObject(),
        };
    }

    /// <summary>The paths of <paramref name="node"/>'s members, depth first (the places a mutation can go).</summary>
    public static IEnumerable<JsonNode> Members(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Value is null ? [] : Members(p.Value).Prepend(p.Value)),
        JsonArray array => array.SelectMany(item => item is null ? [] : Members(item).Prepend(item)),
        _ => [],
    };
}
