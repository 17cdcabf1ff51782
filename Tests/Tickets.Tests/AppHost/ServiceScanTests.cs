using System.Text.Json.Nodes;

namespace AspireTickets.Tests.AppHost;

/// <summary>
/// <see cref="ManifestChecks.ScanServices"/> on a small repository made for the test: which code counts as a
/// service's own, which as its shared libraries', and that a service referenced for the embedded run is not followed.
/// </summary>
public sealed class ServiceScanTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tickets-scan-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Project(string name, string[] references, string source)
    {
        Directory.CreateDirectory(Path.Combine(_root, name));
        var items = string.Concat(references.Select(r => $"<ProjectReference Include=\"..\\{r}\\{r}.csproj\" />"));
        File.WriteAllText(Path.Combine(_root, name, $"{name}.csproj"), $"<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup>{items}</ItemGroup></Project>");
        File.WriteAllText(Path.Combine(_root, name, "Code.cs"), source);
        // Build output is not source.
        Directory.CreateDirectory(Path.Combine(_root, name, "obj"));
        File.WriteAllText(Path.Combine(_root, name, "obj", "Generated.cs"), "class G { string s = \"ConnectionStrings:generated\"; }");
    }

    private static AspireManifest Manifest(params string[] services)
    {
        var resources = new JsonObject();
        foreach (var service in services)
        {
            resources[service.ToLowerInvariant()] = new JsonObject { ["type"] = "project.v0", ["path"] = $"{service}/{service}.csproj" };
        }
        return AspireManifest.Parse(new JsonObject { ["resources"] = resources }.ToJsonString());
    }

    [Fact]
    public void Own_code_shared_libraries_and_embedded_services_are_told_apart()
    {
        Project("Domain", [], """
            public static class ConnectionNames { public const string Tickets = "tickets"; public const string Cache = "cache"; }
            """);
        Project("Infrastructure", ["Domain"], """
            class Store { string s = ConnectionNames.Tickets; string b = "AWS:Resources:rawtickets:BucketName"; }
            """);
        Project("Api", ["Infrastructure"], """
            class Api { string c = ConnectionNames.Cache; }
            """);
        Project("Web", ["Api", "Domain"], """
            class Web { System.Uri u = new("https+http://api"); }
            """);

        var reads = ManifestChecks.ScanServices(Manifest("Api", "Web"), _root).ToDictionary(s => s.Service);

        Assert.Equal(["ConnectionStrings__cache"], reads["api"].Own.Select(r => r.EnvironmentKey));
        Assert.Equal(["ConnectionStrings__tickets", "AWS__Resources__rawtickets__BucketName"], reads["api"].Shared.Select(r => r.EnvironmentKey));
        Assert.Equal(Path.Combine("Infrastructure", "Code.cs") + ":1", reads["api"].Shared[0].Source);

        // Web references Api for the embedded run only: Api's and Infrastructure's reads are not Web's.
        Assert.Equal(["services__api__"], reads["web"].Own.Select(r => r.EnvironmentKey));
        Assert.Empty(reads["web"].Shared);
    }
}
