using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AspireTickets.Tests.Similarity;

/// <summary>
/// Checks HTTP requests and responses against an OpenAPI 3.0 document (here Qdrant's v1.19 specification):
/// the operation must exist for the method and path, query parameters must be declared, and bodies must
/// match the JSON schema. Validation is strict about object members: a member the schema does not declare
/// is an error even where the schema leaves <c>additionalProperties</c> open, because Qdrant rejects unknown
/// fields and a misspelt member would otherwise pass silently.
/// </summary>
public sealed class OpenApiContract
{
    private readonly JsonObject _document;
    private readonly List<(Regex Pattern, string Template)> _paths;

    public OpenApiContract(string path)
    {
        _document = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        _paths = _document["paths"]!.AsObject()
            .Select(p => (new Regex("^" + Regex.Replace(Regex.Escape(p.Key), @"\\\{[^}]+}", "[^/]+") + "$"), p.Key))
            // A literal segment wins over a parameter: /points/count is not /points/{id}.
            .OrderBy(p => p.Key.Count(c => c == '{'))
            .ToList();
    }

    public static OpenApiContract Qdrant { get; } = new(RepositoryPaths.Shared("contracts", "qdrant-openapi-v1.19.json"));

    /// <summary>Returns the problems of a request; empty when it conforms.</summary>
    public IReadOnlyList<string> CheckRequest(HttpMethod method, Uri uri, JsonNode? body)
    {
        var errors = new List<string>();
        var operation = FindOperation(method, uri.AbsolutePath, errors);
        if (operation is null)
        {
            return errors;
        }

        var declared = (operation["parameters"] as JsonArray ?? [])
            .Where(p => p!["in"]!.GetValue<string>() == "query")
            .Select(p => p!["name"]!.GetValue<string>())
            .ToHashSet();
        foreach (var name in System.Web.HttpUtility.ParseQueryString(uri.Query).AllKeys)
        {
            if (name is not null && !declared.Contains(name))
            {
                errors.Add($"query parameter '{name}' is not declared for {method} {uri.AbsolutePath}");
            }
        }

        var schema = operation["requestBody"]?["content"]?["application/json"]?["schema"];
        if (schema is null)
        {
            if (body is not null)
            {
                errors.Add($"{method} {uri.AbsolutePath} takes no body");
            }
        }
        else if (body is null)
        {
            if (operation["requestBody"]?["required"]?.GetValue<bool>() == true)
            {
                errors.Add($"{method} {uri.AbsolutePath} requires a body");
            }
        }
        else
        {
            Validate(body, schema, "$", errors);
        }
        return errors;
    }

    /// <summary>Returns the problems of a 200 response body; used to keep test doubles honest.</summary>
    public IReadOnlyList<string> CheckResponse(HttpMethod method, Uri uri, JsonNode? body)
    {
        var errors = new List<string>();
        var operation = FindOperation(method, uri.AbsolutePath, errors);
        var schema = operation?["responses"]?["200"]?["content"]?["application/json"]?["schema"];
        if (schema is not null)
        {
            Validate(body, schema, "$", errors);
        }
        return errors;
    }

    private JsonObject? FindOperation(HttpMethod method, string path, List<string> errors)
    {
        var template = _paths.FirstOrDefault(p => p.Pattern.IsMatch(path)).Template;
        if (template is null)
        {
            errors.Add($"no path of the specification matches {path}");
            return null;
        }
        if (_document["paths"]![template]![method.Method.ToLowerInvariant()] is not JsonObject operation)
        {
            errors.Add($"{template} has no {method} operation");
            return null;
        }
        return operation;
    }

    private void Validate(JsonNode? value, JsonNode schemaNode, string at, List<string> errors)
    {
        var schema = Resolve(schemaNode);

        if (value is null)
        {
            if (schema["nullable"]?.GetValue<bool>() == true || IsOnlyNullable(schema))
            {
                return;
            }
            if (schema["anyOf"] is JsonArray nullableAny && nullableAny.Any(s => Resolve(s!)["nullable"]?.GetValue<bool>() == true))
            {
                return;
            }
            errors.Add($"{at}: null is not allowed");
            return;
        }

        if (schema["anyOf"] is JsonArray anyOf || schema["oneOf"] is JsonArray)
        {
            var branches = (schema["anyOf"] ?? schema["oneOf"])!.AsArray();
            var branchErrors = new List<string>();
            foreach (var branch in branches)
            {
                if (IsOnlyNullable(Resolve(branch!)))
                {
                    continue;
                }
                var attempt = new List<string>();
                Validate(value, branch!, at, attempt);
                if (attempt.Count == 0)
                {
                    return;
                }
                branchErrors.Add(string.Join("; ", attempt.Take(3)));
            }
            errors.Add($"{at}: matches none of the alternatives ({string.Join(" | ", branchErrors.Take(4))})");
            return;
        }
        if (schema["allOf"] is JsonArray allOf)
        {
            foreach (var part in allOf)
            {
                Validate(value, part!, at, errors);
            }
            return;
        }

        if (schema["enum"] is JsonArray options && !options.Any(o => JsonNode.DeepEquals(o, value)))
        {
            errors.Add($"{at}: {value.ToJsonString()} is not one of {options.ToJsonString()}");
            return;
        }

        switch (schema["type"]?.GetValue<string>())
        {
            case "object":
                ValidateObject(value, schema, at, errors);
                break;
            case "array":
                if (value is not JsonArray array)
                {
                    errors.Add($"{at}: expected an array");
                    break;
                }
                if (schema["minItems"]?.GetValue<int>() is { } minItems && array.Count < minItems)
                {
                    errors.Add($"{at}: expected at least {minItems} items");
                }
                if (schema["items"] is { } items)
                {
                    for (var i = 0; i < array.Count; i++)
                    {
                        Validate(array[i], items, $"{at}[{i}]", errors);
                    }
                }
                break;
            case "string":
                if (value is not JsonValue s || !s.TryGetValue<string>(out var text))
                {
                    errors.Add($"{at}: expected a string");
                }
                else if (schema["format"]?.GetValue<string>() == "uuid" && !Guid.TryParse(text, out _))
                {
                    errors.Add($"{at}: '{text}' is not a uuid");
                }
                break;
            case "integer":
                if (value is not JsonValue iv || !IsInteger(iv, out var integer))
                {
                    errors.Add($"{at}: expected an integer");
                }
                else if (schema["minimum"]?.GetValue<double>() is { } min && integer < min)
                {
                    errors.Add($"{at}: {integer} is below the minimum {min}");
                }
                break;
            case "number":
                if (value is not JsonValue nv || !nv.TryGetValue<double>(out _))
                {
                    errors.Add($"{at}: expected a number");
                }
                break;
            case "boolean":
                if (value is not JsonValue bv || !bv.TryGetValue<bool>(out _))
                {
                    errors.Add($"{at}: expected a boolean");
                }
                break;
            case null when schema["properties"] is not null:
                ValidateObject(value, schema, at, errors);
                break;
        }
    }

    private void ValidateObject(JsonNode value, JsonObject schema, string at, List<string> errors)
    {
        if (value is not JsonObject obj)
        {
            errors.Add($"{at}: expected an object");
            return;
        }
        var properties = schema["properties"] as JsonObject;
        foreach (var required in schema["required"] as JsonArray ?? [])
        {
            if (!obj.ContainsKey(required!.GetValue<string>()))
            {
                errors.Add($"{at}: missing required member '{required}'");
            }
        }
        foreach (var (name, member) in obj)
        {
            if (properties?[name] is { } memberSchema)
            {
                Validate(member, memberSchema, $"{at}.{name}", errors);
            }
            else if (schema["additionalProperties"] is JsonObject additional)
            {
                Validate(member, additional, $"{at}.{name}", errors);
            }
            else if (properties is not null || schema["additionalProperties"]?.GetValue<bool>() == false)
            {
                errors.Add($"{at}: unknown member '{name}'");
            }
        }
    }

    private JsonObject Resolve(JsonNode schema)
    {
        var current = schema.AsObject();
        while (current["$ref"]?.GetValue<string>() is { } reference)
        {
            var node = (JsonNode)_document;
            foreach (var part in reference.TrimStart('#', '/').Split('/'))
            {
                node = node[part]!;
            }
            current = node.AsObject();
        }
        return current;
    }

    private static bool IsOnlyNullable(JsonObject schema) => schema.Count == 1 && schema["nullable"]?.GetValue<bool>() == true;

    private static bool IsInteger(JsonValue value, out double number)
    {
        if (value.TryGetValue<long>(out var l))
        {
            number = l;
            return true;
        }
        if (value.TryGetValue<ulong>(out var u))
        {
            number = u;
            return true;
        }
        if (value.TryGetValue<double>(out var d) && Math.Abs(d - Math.Round(d)) < 1e-9)
        {
            number = d;
            return true;
        }
        number = 0;
        return false;
    }
}
