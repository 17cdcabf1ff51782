using System.Text.Json.Nodes;

namespace AspireTickets.Tests.AppHost;

/// <summary>The checks of <see cref="ManifestTests"/> fail when the manifest, Program.cs or the code drift apart.</summary>
public sealed class ManifestChecksCatchDriftTests
{
    private static readonly string ManifestJson = File.ReadAllText(RepositoryRoot.File("aspire-manifest.json"));
    private static readonly string ProgramSource = File.ReadAllText(RepositoryRoot.File("AppHost", "Program.cs"));

    private static AspireManifest Manifest(Action<JsonObject> change)
    {
        var root = JsonNode.Parse(ManifestJson)!.AsObject();
        change(root["resources"]!.AsObject());
        return AspireManifest.Parse(root.ToJsonString());
    }

    private static AppHostProgram Program(string find, string replace)
    {
        Assert.Contains(find, ProgramSource, StringComparison.Ordinal);
        return AppHostProgram.Parse(ProgramSource.Replace(find, replace, StringComparison.Ordinal));
    }

    private static readonly AspireManifest Unchanged = AspireManifest.Parse(ManifestJson);
    private static readonly AppHostProgram UnchangedProgram = AppHostProgram.Parse(ProgramSource);

    private static void AssertProblem(IReadOnlyList<string> problems, string expected) =>
        Assert.True(problems.Any(p => p.Contains(expected, StringComparison.Ordinal)),
            $"expected a problem containing \"{expected}\"; got:\n{string.Join("\n", problems)}");

    [Fact]
    public void A_reference_missing_from_the_manifest_is_reported()
    {
        var manifest = Manifest(r => r["agents"]!["env"]!.AsObject().Remove("ConnectionStrings__kafka"));
        AssertProblem(ManifestChecks.ProgramAgreement(manifest, UnchangedProgram), "WithReference(kafka) but the manifest has no ConnectionStrings__kafka");
    }

    [Fact]
    public void A_reference_added_in_Program_cs_only_is_reported()
    {
        var program = Program("    .WithReference(api).WaitFor(api)\n", "    .WithReference(api).WaitFor(api)\n    .WithReference(kafka).WaitFor(kafka)\n");
        AssertProblem(ManifestChecks.ProgramAgreement(Unchanged, program), "web: Program.cs line");
    }

    [Fact]
    public void Environment_in_the_manifest_only_is_reported()
    {
        var manifest = Manifest(r => r["web"]!["env"]!.AsObject()["ConnectionStrings__tickets"] = "{tickets.connectionString}");
        AssertProblem(ManifestChecks.ProgramAgreement(manifest, UnchangedProgram), "web: the manifest gives ConnectionStrings__tickets");
    }

    [Fact]
    public void Polyglot_forms_of_a_reference_are_allowed_only_for_what_is_referenced()
    {
        var manifest = Manifest(r =>
        {
            r["web"]!["env"]!["API_HTTP"] = "{api.bindings.http.url}";
            r["web"]!["env"]!["TICKETS_URI"] = "{tickets.connectionString}";
        });
        var problems = ManifestChecks.ProgramAgreement(manifest, UnchangedProgram);
        Assert.DoesNotContain(problems, p => p.Contains("API_HTTP", StringComparison.Ordinal));
        AssertProblem(problems, "web: the manifest gives TICKETS_URI");
    }

    [Fact]
    public void A_wrong_reference_value_is_reported()
    {
        var manifest = Manifest(r => r["api"]!["env"]!["ConnectionStrings__cache"] = "{kafka.connectionString}");
        AssertProblem(ManifestChecks.ProgramAgreement(manifest, UnchangedProgram), "api: ConnectionStrings__cache is");
    }

    [Fact]
    public void Replicas_must_agree()
    {
        AssertProblem(ManifestChecks.ProgramAgreement(Unchanged, Program("    .WithReplicas(2)\n", "")), "agents: Program.cs has no WithReplicas");
        AssertProblem(ManifestChecks.ProgramAgreement(Manifest(r => r["agents"]!["replicas"] = 3), UnchangedProgram), "WithReplicas(2) but the manifest has replicas 3");
    }

    [Fact]
    public void External_endpoints_must_agree()
    {
        var manifest = Manifest(r => r["web"]!["bindings"]!["https"]!.AsObject().Remove("external"));
        AssertProblem(ManifestChecks.ProgramAgreement(manifest, UnchangedProgram), "web: binding https is not external");
        AssertProblem(ManifestChecks.ProgramAgreement(Unchanged, Program("    .WithExternalHttpEndpoints()\n", "")), "web: binding http is external");
    }

    [Fact]
    public void A_project_on_one_side_only_is_reported()
    {
        var program = Program("builder.Build().Run();", "builder.AddProject<Projects.Api>(\"api2\");\nbuilder.Build().Run();");
        AssertProblem(ManifestChecks.ProgramAgreement(Unchanged, program), "has no resource api2 in the manifest");

        var manifest = Manifest(r => r["reports"] = new JsonObject { ["type"] = "project.v0", ["path"] = "Api/Api.csproj" });
        AssertProblem(ManifestChecks.ProgramAgreement(manifest, UnchangedProgram), "the manifest has reports (project.v0), which Program.cs does not add");
    }

    [Fact]
    public void A_removed_resource_breaks_the_expressions_that_use_it()
    {
        var manifest = Manifest(r => r.Remove("kafka"));
        var problems = ManifestChecks.ProgramAgreement(manifest, UnchangedProgram);
        AssertProblem(problems, "AddKafka(\"kafka\") has no resource kafka in the manifest");
        AssertProblem(problems, "refers to {kafka.connectionString}, but the manifest has no resource kafka");
    }

    [Fact]
    public void A_missing_WaitFor_is_reported() =>
        AssertProblem(
            ManifestChecks.ProgramAgreement(Unchanged, Program("var api = builder.AddProject<Projects.Api>(\"api\")\n    .WithReference(tickets).WaitFor(tickets)", "var api = builder.AddProject<Projects.Api>(\"api\")\n    .WithReference(tickets)")),
            "api references tickets but does not WaitFor it");

    [Fact]
    public void Stack_outputs_must_agree()
    {
        var program = Program("\"BucketName\", \"AWS:Resources:rawtickets\"", "\"Bucket\", \"AWS:Resources:rawtickets\"");
        AssertProblem(ManifestChecks.ProgramAgreement(Unchanged, program), "the manifest has no AWS__Resources__rawtickets__Bucket");

        var manifest = Manifest(r => r["aws"]!["references"]!.AsArray().RemoveAt(1));
        AssertProblem(ManifestChecks.ProgramAgreement(manifest, UnchangedProgram), "stack aws is referenced by [agents, api, ingestion]");
    }

    [Fact]
    public void The_Kafka_UI_must_stay_out_of_the_manifest()
    {
        var manifest = Manifest(r => r["kafka-kafka-ui"] = new JsonObject { ["type"] = "container.v0", ["image"] = "docker.io/kafbat/kafka-ui:v1.3.0" });
        AssertProblem(ManifestChecks.ProgramAgreement(manifest, UnchangedProgram), "the Kafka UI is in the manifest");
    }

    [Fact]
    public void A_literal_password_is_reported()
    {
        var manifest = Manifest(r => r["cache"]!["connectionString"] = "{cache.bindings.tcp.host}:{cache.bindings.tcp.port},password=hunter2");
        AssertProblem(ManifestChecks.Secrets(manifest, UnchangedProgram), "holds the credential \"hunter2\"");

        manifest = Manifest(r => r["mongo"]!["env"]!["MONGO_INITDB_ROOT_PASSWORD"] = "hunter2");
        AssertProblem(ManifestChecks.Secrets(manifest, UnchangedProgram), "MONGO_INITDB_ROOT_PASSWORD = \"hunter2\"");

        manifest = Manifest(r => r["tickets"]!["connectionString"] = "mongodb://admin:hunter2@{mongo.bindings.tcp.host}:{mongo.bindings.tcp.port}/tickets");
        AssertProblem(ManifestChecks.Secrets(manifest, UnchangedProgram), "holds the credential \"hunter2\"");
    }

    [Fact]
    public void A_secret_that_is_not_a_secret_parameter_is_reported()
    {
        AssertProblem(
            ManifestChecks.Secrets(Unchanged, Program("AddParameter(\"cache-password\", secret: true)", "AddParameter(\"cache-password\")")),
            "cache-password is the password of cache but is not added with secret: true");

        var manifest = Manifest(r => r["qdrant-apikey"]!["inputs"]!["value"]!["secret"] = false);
        AssertProblem(ManifestChecks.Secrets(manifest, UnchangedProgram), "qdrant-apikey is a secret in Program.cs but not a parameter.v0");
    }

    [Fact]
    public void A_wrong_project_path_is_reported()
    {
        var missing = Manifest(r => r["api"]!["path"] = "Api/Missing.csproj");
        AssertProblem(ManifestChecks.ProjectPaths(missing, UnchangedProgram, RepositoryRoot.Path), "path Api/Missing.csproj is not a project file");

        var swapped = Manifest(r => r["api"]!["path"] = "Agents/Agents.csproj");
        AssertProblem(ManifestChecks.ProjectPaths(swapped, UnchangedProgram, RepositoryRoot.Path), "Program.cs adds Projects.Api but the manifest's path Agents/Agents.csproj is Projects.Agents");
    }

    [Fact]
    public void Configuration_a_service_reads_but_is_not_given_is_reported()
    {
        ConfigurationRead Read(string key, bool prefix = false) => new(key, prefix, "Somewhere.cs:1");
        var notNeeded = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["ingestion"] = new Dictionary<string, string> { ["ConnectionStrings__llm"] = "not used by ingestion" },
        };

        // Own code reading llm is never excused.
        var own = new ManifestChecks.ServiceReads("ingestion", [Read("ConnectionStrings__llm")], []);
        AssertProblem(ManifestChecks.ConfigurationGiven(Unchanged, [own], notNeeded), "ingestion reads ConnectionStrings:llm at Somewhere.cs:1");

        // A shared library reading it is excused when declared, reported when not.
        var shared = new ManifestChecks.ServiceReads("ingestion", [], [Read("ConnectionStrings__llm"), Read("AWS__Resources__escalations__QueueUrl")]);
        var problems = ManifestChecks.ConfigurationGiven(Unchanged, [shared], notNeeded);
        Assert.DoesNotContain(problems, p => p.Contains("llm", StringComparison.Ordinal));
        AssertProblem(problems, "reads AWS:Resources:escalations:QueueUrl");

        // Service discovery: web reads https+http://api and is given services__api__…; agents is not.
        var web = new ManifestChecks.ServiceReads("web", [Read("services__api__", prefix: true)], []);
        Assert.Empty(ManifestChecks.ConfigurationGiven(Unchanged, [web], notNeeded));
        var agents = new ManifestChecks.ServiceReads("agents", [Read("services__api__", prefix: true)], []);
        AssertProblem(ManifestChecks.ConfigurationGiven(Unchanged, [agents], notNeeded), "agents reads services:api");

        // A declared exemption contradicted by the manifest is reported too.
        var contradicted = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["api"] = new Dictionary<string, string> { ["ConnectionStrings__llm"] = "claimed unused" },
        };
        AssertProblem(ManifestChecks.ConfigurationGiven(Unchanged, [new("api", [], [])], contradicted), "api is declared not to need ConnectionStrings__llm");
    }
}
