using System.Text.Json.Nodes;

namespace AspireTickets.Tests.AppHost;

/// <summary>Read-only view of aspire-manifest.json (the AppHost's <c>--publisher manifest</c> output).</summary>
public sealed class AspireManifest
{
    private AspireManifest(JsonObject root) =>
        Resources = root["resources"]?.AsObject() ?? throw new FormatException("The manifest has no \"resources\" object.");

    public JsonObject Resources { get; }

    public static AspireManifest Parse(string json) =>
        new(JsonNode.Parse(json)?.AsObject() ?? throw new FormatException("The manifest is not a JSON object."));

    public static AspireManifest Load() => Parse(System.IO.File.ReadAllText(RepositoryRoot.File("aspire-manifest.json")));

    public IEnumerable<string> Names => Resources.Select(r => r.Key);

    public JsonObject? Resource(string name) => Resources[name]?.AsObject();

    public string? Type(string name) => (string?)Resource(name)?["type"];

    public IEnumerable<string> NamesOfType(string type) => Names.Where(n => Type(n) == type);

    public IReadOnlyDictionary<string, string> Env(string name) =>
        Resource(name)?["env"]?.AsObject().ToDictionary(e => e.Key, e => e.Value?.ToString() ?? "", StringComparer.Ordinal)
        ?? new Dictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, JsonObject> Bindings(string name) =>
        Resource(name)?["bindings"]?.AsObject().ToDictionary(b => b.Key, b => b.Value!.AsObject(), StringComparer.Ordinal)
        ?? new Dictionary<string, JsonObject>(StringComparer.Ordinal);

    public bool IsSecretParameter(string name) =>
        Type(name) == "parameter.v0" && (bool?)Resource(name)?["inputs"]?["value"]?["secret"] == true;

    /// <summary>Every string in the manifest with the JSON path it sits at (for checks over all values).</summary>
    public IEnumerable<(string Path, string Value)> AllStrings()
    {
        return Walk("resources", Resources);

        static IEnumerable<(string, string)> Walk(string path, JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, child) in o)
                    {
                        foreach (var s in Walk($"{path}.{key}", child)) yield return s;
                    }
                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        foreach (var s in Walk($"{path}[{i}]", a[i])) yield return s;
                    }
                    break;
                case JsonValue v when v.TryGetValue<string>(out var text):
                    yield return (path, text);
                    break;
            }
        }
    }
}
