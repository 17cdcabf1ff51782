namespace AspireTickets.Tests.AppHost;

/// <summary>
/// aspire-manifest.json against AppHost/Program.cs and the services' code. The AppHost cannot be built here
/// (no Aspire packages offline), so the manifest is written by hand; these tests keep it honest.
/// Regenerate with Aspire: <c>dotnet run --project AppHost -- --publisher manifest --output-path ../aspire-manifest.json</c>.
/// </summary>
public sealed class ManifestTests
{
    /// <summary>
    /// Configuration read by a shared library (Tickets.Infrastructure registers every adapter, so every service that
    /// references it "reads" every connection) that a service deliberately does not get, and why. Without the key the
    /// library falls back to its embedded adapter, which that service does not use. Reads in a service's own
    /// project are never excused. Web references Api/Agents/Ingestion only for the embedded run; those references
    /// are not followed (see <see cref="ProjectGraph.Closure"/>): in the distributed run it reaches the api over HTTP.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> NotNeeded =
        new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["api"] = new Dictionary<string, string>
            {
                ["AWS__Resources__rawtickets__"] = "raw tickets are archived by ingestion",
            },
            ["ingestion"] = new Dictionary<string, string>
            {
                ["ConnectionStrings__qdrant_http"] = "indexing tickets for similarity is the agents' step",
                ["ConnectionStrings__llm"] = "enrichment at ingestion uses the local text insights",
                ["AWS__Resources__escalations__"] = "escalations are sent by the api's escalation check",
                ["Auth__"] = "ingestion authenticates its sources by their signatures and tokens; it serves no staff endpoints",
            },
            ["agents"] = new Dictionary<string, string>
            {
                ["AWS__Resources__rawtickets__"] = "the agents work on stored tickets, never on the raw archive",
            },
        };

    private readonly AspireManifest _manifest = AspireManifest.Load();
    private readonly AppHostProgram _program = AppHostProgram.Load();

    private static void AssertNoProblems(IReadOnlyList<string> problems) =>
        Assert.True(problems.Count == 0, "\n" + string.Join("\n", problems));

    [Fact]
    public void Every_project_path_exists_and_is_the_project_Program_cs_adds() =>
        AssertNoProblems(ManifestChecks.ProjectPaths(_manifest, _program, RepositoryRoot.Path));

    [Fact]
    public void Every_service_is_given_the_configuration_its_code_reads()
    {
        var services = ManifestChecks.ScanServices(_manifest, RepositoryRoot.Path);

        Assert.Equal(["agents", "api", "ingestion", "web"], services.Select(s => s.Service).Order());
        AssertNoProblems(ManifestChecks.ConfigurationGiven(_manifest, services, NotNeeded));
    }

    [Fact]
    public void The_connection_names_the_services_use_are_resources_of_the_AppHost()
    {
        var names = ConfigurationScanner.ReadConnectionNames(ProjectGraph.Sources(RepositoryRoot.File("Tickets.Domain", "Tickets.Domain.csproj")));

        Assert.Equal(
            new Dictionary<string, string> { ["Tickets"] = "tickets", ["Kafka"] = "kafka", ["QdrantHttp"] = "qdrant_http", ["Cache"] = "cache", ["Llm"] = "llm" },
            names);
        foreach (var connection in names.Values)
        {
            // qdrant_http is the REST variant that WithReference(qdrant) adds beside ConnectionStrings__qdrant.
            var resource = connection.EndsWith("_http", StringComparison.Ordinal) ? connection[..^"_http".Length] : connection;
            Assert.True(_program.Find(resource) is not null, $"ConnectionNames has {connection}, but Program.cs adds no resource {resource}.");
            Assert.True(_manifest.Resource(resource)?["connectionString"] is not null, $"{resource} has no connectionString in the manifest.");
        }
    }

    [Fact]
    public void Secrets_are_secret_parameters_and_never_literals() =>
        AssertNoProblems(ManifestChecks.Secrets(_manifest, _program));

    [Fact]
    public void Mongo_Redis_and_Qdrant_credentials_are_parameters_of_Program_cs()
    {
        Assert.Equal("mongo-password", _program.Variable(_program.Find("mongo")!.ParameterArguments["password"])!.Name);
        Assert.Equal("cache-password", _program.Variable(_program.Find("cache")!.ParameterArguments["password"])!.Name);
        Assert.Equal("qdrant-apikey", _program.Variable(_program.Find("qdrant")!.ParameterArguments["apiKey"])!.Name);
        Assert.All(["mongo-password", "cache-password", "qdrant-apikey", "api-key", "llm"], p => Assert.True(_manifest.IsSecretParameter(p), p));
    }

    [Fact]
    public void Program_cs_and_the_manifest_agree() =>
        AssertNoProblems(ManifestChecks.ProgramAgreement(_manifest, _program));

    [Fact]
    public void Program_cs_declares_the_expected_topology()
    {
        // Guards the model the other checks rely on: if parsing silently found nothing, they would all pass.
        Assert.Empty(_program.Unsupported);
        Assert.Equal(
            ["agents:Projects.Agents", "api:Projects.Api", "ingestion:Projects.Ingestion", "web:Projects.Web"],
            _program.OfKind(AppHostResourceKind.Project).Select(p => $"{p.Name}:{p.ProjectType}").Order());

        string[] References(string project) => _program.Find(project)!.References.Select(r => r.OutputName is null ? r.Target : $"{r.Target}.{r.OutputName}").Order().ToArray();
        Assert.Equal([AppHostProgram.AwsSdkConfigName, "aws.QueueUrl", "cache", "kafka", "llm", "qdrant", "tickets"], References("agents"));
        Assert.Equal([AppHostProgram.AwsSdkConfigName, "aws.QueueUrl", "cache", "kafka", "llm", "qdrant", "tickets"], References("api"));
        Assert.Equal([AppHostProgram.AwsSdkConfigName, "aws.BucketName", "cache", "kafka", "tickets"], References("ingestion"));
        Assert.Equal(["agents", "api", "cache"], References("web"));
        Assert.Equal(2, _program.Find("agents")!.Replicas);
        Assert.Contains("WithExternalHttpEndpoints", _program.Find("web")!.Calls);
    }

    [Fact]
    public void Service_environment_has_the_names_the_services_read()
    {
        Assert.Equal("Endpoint={qdrant.bindings.http.url};Key={qdrant-apikey.value}", _manifest.Env("api")["ConnectionStrings__qdrant_http"]);
        Assert.Equal("{aws.output.BucketName}", _manifest.Env("ingestion")["AWS__Resources__rawtickets__BucketName"]);
        Assert.Equal("{aws.output.QueueUrl}", _manifest.Env("agents")["AWS__Resources__escalations__QueueUrl"]);
        Assert.Equal("{api.bindings.http.url}", _manifest.Env("web")["services__api__http__0"]);
        Assert.Equal("{agents.bindings.https.url}", _manifest.Env("web")["services__agents__https__0"]);
        // The agents service authenticates like the api: the same integration key and the Web's service key.
        foreach (var service in new[] { "api", "agents", "web" })
        {
            Assert.Equal("{service-key.value}", _manifest.Env(service)["Auth__ServiceKey"]);
        }
        Assert.Equal(_manifest.Env("api")["Auth__ApiKeys__aspire"], _manifest.Env("agents")["Auth__ApiKeys__aspire"]);
        Assert.Equal(
            "mongodb://admin:{mongo-password.value}@{mongo.bindings.tcp.host}:{mongo.bindings.tcp.port}/tickets?authSource=admin&authMechanism=SCRAM-SHA-256",
            (string?)_manifest.Resource("tickets")!["connectionString"]);
    }
}
