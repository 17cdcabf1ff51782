using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AspireTickets.Tests.AppHost;

/// <summary>
/// The checks that keep aspire-manifest.json, AppHost/Program.cs and the services' code in step. Each returns the
/// problems it found (empty when all agree), so that tests can also feed it a broken manifest or program.
/// </summary>
public static partial class ManifestChecks
{
    /// <summary>Environment every project gets from AddProject itself, whatever it references.</summary>
    public static readonly IReadOnlyList<string> ProjectDefaults =
    [
        "OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES",
        "OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES",
        "OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY",
        "ASPNETCORE_FORWARDEDHEADERS_ENABLED",
        "HTTP_PORTS",
    ];

    /// <summary>Image repository of each container integration (Aspire 13.x pulls these from docker.io).</summary>
    public static readonly IReadOnlyDictionary<string, string> ImageRepositories = new Dictionary<string, string>
    {
        ["AddMongoDB"] = "docker.io/library/mongo:",
        ["AddKafka"] = "docker.io/confluentinc/confluent-local:",
        ["AddQdrant"] = "docker.io/qdrant/qdrant:",
        ["AddRedis"] = "docker.io/library/redis:",
    };

    private static readonly Dictionary<AppHostResourceKind, string> ManifestTypes = new()
    {
        [AppHostResourceKind.Parameter] = "parameter.v0",
        [AppHostResourceKind.ConnectionString] = "parameter.v0",
        [AppHostResourceKind.Container] = "container.v0",
        [AppHostResourceKind.Database] = "value.v0",
        [AppHostResourceKind.Project] = "project.v0",
        [AppHostResourceKind.CdkStack] = "aws.cloudformation.template.v0",
    };

    [GeneratedRegex(@"\{(?<resource>[A-Za-z0-9_-]+)\.(?<rest>[A-Za-z0-9_.-]+)\}")]
    private static partial Regex Expression();

    [GeneratedRegex(@"(?i)(password|passwd|secret|token|api_?key|apikey)")]
    private static partial Regex SecretName();

    [GeneratedRegex(@"(?i)(?<![A-Za-z])(password|pwd|key|apikey|api-key|secret|token)=(?<value>[^;,&]*)")]
    private static partial Regex SecretAssignment();

    [GeneratedRegex(@"^[a-z][a-z0-9+.-]*://[^:/@{}]+:(?<value>[^@]*)@")]
    private static partial Regex UrlPassword();

    [GeneratedRegex(@"--requirepass\s+(?<value>\S+)")]
    private static partial Regex RequirePass();

    [GeneratedRegex(@"^\{(?<parameter>[A-Za-z0-9_-]+)\.value\}$")]
    private static partial Regex ParameterValue();

    [GeneratedRegex(@"\W")]
    private static partial Regex NonWord();

    /// <summary>The class the Aspire SDK generates for a project file: <c>My.Api.csproj</c> → <c>Projects.My_Api</c>.</summary>
    public static string ProjectsClass(string csprojPath) =>
        "Projects." + NonWord().Replace(Path.GetFileNameWithoutExtension(csprojPath), "_");

    // (a) ------------------------------------------------------------------------------------------------------

    public static IReadOnlyList<string> ProjectPaths(AspireManifest manifest, AppHostProgram program, string repositoryRoot)
    {
        var problems = new List<string>();
        foreach (var name in manifest.NamesOfType("project.v0"))
        {
            if ((string?)manifest.Resource(name)!["path"] is not { Length: > 0 } path)
            {
                problems.Add($"project {name} has no path.");
                continue;
            }
            var full = Path.GetFullPath(Path.Combine(repositoryRoot, path));
            if (!path.EndsWith(".csproj", StringComparison.Ordinal) || !File.Exists(full))
            {
                problems.Add($"project {name}: path {path} is not a project file of the repository.");
                continue;
            }
            if (program.Find(name) is { Kind: AppHostResourceKind.Project, ProjectType: var type } && type != ProjectsClass(full))
            {
                problems.Add($"project {name}: Program.cs adds {type} but the manifest's path {path} is {ProjectsClass(full)}.");
            }
        }
        return problems;
    }

    // (b) ------------------------------------------------------------------------------------------------------

    /// <summary>What one service reads: in its own project, and in the (non-service) libraries it references.</summary>
    public sealed record ServiceReads(string Service, IReadOnlyList<ConfigurationRead> Own, IReadOnlyList<ConfigurationRead> Shared);

    public static IReadOnlyList<ServiceReads> ScanServices(AspireManifest manifest, string repositoryRoot)
    {
        var services = manifest.NamesOfType("project.v0")
            .ToDictionary(n => n, n => Path.GetFullPath(Path.Combine(repositoryRoot, (string)manifest.Resource(n)!["path"]!)));
        var stopAt = services.Values.ToHashSet(StringComparer.Ordinal);
        var closures = services.ToDictionary(s => s.Key, s => ProjectGraph.Closure(s.Value, stopAt));

        IEnumerable<(string, string)> Sources(string csproj) => ProjectGraph.Sources(csproj, repositoryRoot);
        var everySource = closures.Values.SelectMany(c => c).Distinct().SelectMany(Sources).ToList();
        var scanner = new ConfigurationScanner(ConfigurationScanner.ReadConnectionNames(everySource));

        return services.Select(s => new ServiceReads(
                s.Key,
                scanner.Scan(Sources(s.Value)),
                scanner.Scan(closures[s.Key].Skip(1).SelectMany(Sources))))
            .ToList();
    }

    /// <param name="notNeeded">
    /// Per service, environment keys (or key prefixes) that a shared library reads but this service deliberately
    /// does not get, with the reason. Reads in the service's own project are never excused.
    /// </param>
    public static IReadOnlyList<string> ConfigurationGiven(
        AspireManifest manifest,
        IEnumerable<ServiceReads> services,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> notNeeded)
    {
        var problems = new List<string>();
        foreach (var service in services)
        {
            var env = manifest.Env(service.Service).Keys.ToList();
            var excused = notNeeded.GetValueOrDefault(service.Service) ?? new Dictionary<string, string>();

            foreach (var read in service.Own.Concat(service.Shared).Where(r => r.EnvironmentKey.Contains('?', StringComparison.Ordinal)))
            {
                problems.Add($"{service.Service}: {read.Source} uses {read.EnvironmentKey.Replace("ConnectionStrings__?", "ConnectionNames.", StringComparison.Ordinal)}, which ConnectionNames does not define.");
            }
            foreach (var read in service.Own.Where(r => !r.IsSatisfiedBy(env)).DistinctBy(r => r.EnvironmentKey))
            {
                problems.Add($"{service.Service} reads {Describe(read)} at {read.Source}, but the manifest gives it no {read.EnvironmentKey}{(read.IsPrefix ? "…" : "")}: add the WithReference in AppHost/Program.cs.");
            }
            foreach (var read in service.Shared.Where(r => !r.IsSatisfiedBy(env)).DistinctBy(r => r.EnvironmentKey))
            {
                if (!excused.Keys.Any(k => read.EnvironmentKey.StartsWith(k, StringComparison.Ordinal)))
                {
                    problems.Add($"{service.Service} references code that reads {Describe(read)} ({read.Source}), but the manifest gives it no {read.EnvironmentKey}{(read.IsPrefix ? "…" : "")}: add the WithReference in AppHost/Program.cs, or declare why {service.Service} does not need it.");
                }
            }
            foreach (var key in excused.Keys.Where(k => env.Any(e => e.StartsWith(k, StringComparison.Ordinal))))
            {
                problems.Add($"{service.Service} is declared not to need {key} ({excused[key]}), yet the manifest gives it.");
            }
        }
        return problems;

        static string Describe(ConfigurationRead read) => read.EnvironmentKey.TrimEnd('_').Replace("__", ":", StringComparison.Ordinal);
    }

    // (c) ------------------------------------------------------------------------------------------------------

    public static IReadOnlyList<string> Secrets(AspireManifest manifest, AppHostProgram program)
    {
        var problems = new List<string>();

        // Which parameters hold secrets, by how Program.cs uses them.
        foreach (var resource in program.Resources)
        {
            foreach (var (argument, variable) in resource.ParameterArguments)
            {
                if (program.Variable(variable) is { Kind: AppHostResourceKind.Parameter } parameter && !parameter.Secret)
                {
                    problems.Add($"{parameter.Name} is the {argument} of {resource.Name} but is not added with secret: true.");
                }
            }
            foreach (var (name, parameterName, literal) in resource.Environment)
            {
                if (!SecretName().IsMatch(name))
                {
                    continue;
                }
                if (literal is not null)
                {
                    problems.Add($"{resource.Name}: WithEnvironment(\"{name}\", \"…\") puts a literal into a secret; use a secret parameter.");
                }
                else if (parameterName is null || program.Find(parameterName) is not { Kind: AppHostResourceKind.Parameter, Secret: true })
                {
                    problems.Add($"{resource.Name}: {name} must come from a parameter added with secret: true.");
                }
            }
        }
        foreach (var parameter in program.Resources.Where(r => r.Kind is AppHostResourceKind.Parameter or AppHostResourceKind.ConnectionString && r.Secret))
        {
            if (!manifest.IsSecretParameter(parameter.Name))
            {
                problems.Add($"{parameter.Name} is a secret in Program.cs but not a parameter.v0 with inputs.value.secret = true in the manifest.");
            }
        }

        // No secret parameter carries a value, and every credential in the manifest is a secret parameter.
        foreach (var name in manifest.NamesOfType("parameter.v0").Where(manifest.IsSecretParameter))
        {
            var resource = manifest.Resource(name)!;
            if ((string?)resource["value"] != $"{{{name}.inputs.value}}")
            {
                problems.Add($"secret parameter {name} has value {resource["value"]?.ToJsonString()}; it must be {{{name}.inputs.value}}.");
            }
            if (resource["inputs"]?["value"]?["default"]?["value"] is not null)
            {
                problems.Add($"secret parameter {name} has a literal default value.");
            }
        }

        foreach (var (path, value) in manifest.AllStrings())
        {
            var key = path[(path.LastIndexOf('.') + 1)..];
            if (path.Contains(".env.", StringComparison.Ordinal) && SecretName().IsMatch(key) && !IsSecretReference(value))
            {
                problems.Add($"{path} = \"{value}\" must be a secret parameter's {{name.value}}.");
            }
            foreach (var credential in SecretAssignment().Matches(value).Concat(UrlPassword().Matches(value)).Select(m => m.Groups["value"].Value))
            {
                if (!IsSecretReference(credential))
                {
                    problems.Add($"{path} holds the credential \"{credential}\"; it must be a secret parameter's {{name.value}}.");
                }
            }
            foreach (var credential in RequirePass().Matches(value).Select(m => m.Groups["value"].Value))
            {
                if (!credential.StartsWith('$'))
                {
                    problems.Add($"{path} passes the literal password \"{credential}\" on a command line.");
                }
            }
        }
        return problems;

        bool IsSecretReference(string value) =>
            ParameterValue().Match(value) is { Success: true } m && manifest.IsSecretParameter(m.Groups["parameter"].Value);
    }

    // (d) ------------------------------------------------------------------------------------------------------

    public static IReadOnlyList<string> ProgramAgreement(AspireManifest manifest, AppHostProgram program)
    {
        var problems = new List<string>(program.Unsupported);

        foreach (var resource in program.Resources.Where(r => r.Kind != AppHostResourceKind.AwsSdkConfig))
        {
            var type = manifest.Type(resource.Name);
            if (type is null)
            {
                problems.Add($"Program.cs line {resource.Line}: {resource.Method}(\"{resource.Name}\") has no resource {resource.Name} in the manifest.");
            }
            else if (type != ManifestTypes[resource.Kind])
            {
                problems.Add($"{resource.Name} is {type} in the manifest; {resource.Method} writes {ManifestTypes[resource.Kind]}.");
            }
            else if (resource.Kind == AppHostResourceKind.ConnectionString && (string?)manifest.Resource(resource.Name)!["connectionString"] != $"{{{resource.Name}.value}}")
            {
                problems.Add($"connection string {resource.Name} must have connectionString {{{resource.Name}.value}} in the manifest.");
            }
        }
        foreach (var name in manifest.Names.Where(n => program.Find(n) is null))
        {
            problems.Add($"the manifest has {name} ({manifest.Type(name)}), which Program.cs does not add.");
        }

        CheckExpressions(manifest, problems);

        foreach (var container in program.OfKind(AppHostResourceKind.Container).Where(c => manifest.Type(c.Name) == "container.v0"))
        {
            CheckContainer(manifest, program, container, problems);
        }

        foreach (var project in program.OfKind(AppHostResourceKind.Project).Where(p => manifest.Type(p.Name) == "project.v0"))
        {
            CheckProject(manifest, program, project, problems);
        }

        foreach (var stack in program.OfKind(AppHostResourceKind.CdkStack).Where(s => manifest.Type(s.Name) is not null))
        {
            var referencedBy = program.Resources.Where(r => r.References.Any(x => x.Target == stack.Name)).Select(r => r.Name).ToHashSet();
            var listed = manifest.Resource(stack.Name)!["references"]?.AsArray().Select(r => (string?)r?["target-resource"]).OfType<string>().ToHashSet() ?? [];
            if (!referencedBy.SetEquals(listed))
            {
                problems.Add($"stack {stack.Name} is referenced by [{string.Join(", ", referencedBy.Order())}] in Program.cs but lists [{string.Join(", ", listed.Order())}] as references in the manifest.");
            }
        }
        return problems;
    }

    // Every {resource.…} expression names a resource of the manifest, and a binding it has.
    private static void CheckExpressions(AspireManifest manifest, List<string> problems)
    {
        foreach (var (path, value) in manifest.AllStrings())
        {
            foreach (Match m in Expression().Matches(value))
            {
                var resource = m.Groups["resource"].Value;
                var rest = m.Groups["rest"].Value.Split('.');
                if (manifest.Resource(resource) is null)
                {
                    problems.Add($"{path} refers to {m.Value}, but the manifest has no resource {resource}.");
                }
                else if (rest is ["bindings", var binding, ..] && !manifest.Bindings(resource).ContainsKey(binding))
                {
                    problems.Add($"{path} refers to {m.Value}, but {resource} has no binding {binding}.");
                }
            }
        }
    }

    private static void CheckContainer(AspireManifest manifest, AppHostProgram program, AppHostResource container, List<string> problems)
    {
        var json = manifest.Resource(container.Name)!;
        var image = (string?)json["image"] ?? "";
        if (ImageRepositories.TryGetValue(container.Method, out var repository) && !image.StartsWith(repository, StringComparison.Ordinal))
        {
            problems.Add($"{container.Name} ({container.Method}) has image {image}; expected {repository}<tag>.");
        }
        var volumes = json["volumes"]?.AsArray().Select(v => (string?)v?["name"]).ToList() ?? [];
        foreach (var volume in container.DataVolumes)
        {
            if (volume is null ? volumes.Count == 0 : !volumes.Contains(volume))
            {
                problems.Add($"{container.Name}: WithDataVolume({volume}) has no volume {volume} in the manifest.");
            }
        }
        if (container.DataVolumes.Count == 0 && volumes.Count > 0)
        {
            problems.Add($"{container.Name} has volumes in the manifest but no WithDataVolume in Program.cs.");
        }
        var text = json.ToJsonString();
        foreach (var (argument, variable) in container.ParameterArguments)
        {
            var parameter = program.Variable(variable)?.Name ?? variable;
            if (!text.Contains($"{{{parameter}.value}}", StringComparison.Ordinal))
            {
                problems.Add($"{container.Name} is given {argument}: {parameter} in Program.cs, but its manifest entry never uses {{{parameter}.value}}.");
            }
        }
        if (container.Calls.Contains("WithKafkaUI")
            && manifest.Names.Any(n => n.Contains("kafka-ui", StringComparison.Ordinal) || ((string?)manifest.Resource(n)!["image"])?.Contains("kafka-ui", StringComparison.Ordinal) == true))
        {
            // Aspire marks the Kafka UI ExcludeFromManifest: it is a development tool, never deployed.
            problems.Add("the Kafka UI is in the manifest; Aspire leaves it out (ExcludeFromManifest).");
        }
    }

    private static void CheckProject(AspireManifest manifest, AppHostProgram program, AppHostResource project, List<string> problems)
    {
        var name = project.Name;
        var json = manifest.Resource(name)!;
        var env = manifest.Env(name);
        var bindings = manifest.Bindings(name);
        var explained = new HashSet<string>(ProjectDefaults, StringComparer.Ordinal);

        foreach (var key in ProjectDefaults.Where(k => !env.ContainsKey(k)))
        {
            problems.Add($"{name}: the manifest lacks {key}, which every project gets.");
        }
        if (env.TryGetValue("HTTP_PORTS", out var ports) && ports != $"{{{name}.bindings.http.targetPort}}")
        {
            problems.Add($"{name}: HTTP_PORTS is {ports}; expected {{{name}.bindings.http.targetPort}}.");
        }
        foreach (var scheme in (string[])["http", "https"])
        {
            if (!bindings.TryGetValue(scheme, out var binding) || (string?)binding["scheme"] != scheme)
            {
                problems.Add($"{name}: the manifest lacks the {scheme} binding every project gets.");
            }
        }

        foreach (var reference in project.References)
        {
            foreach (var (key, expected, prefix) in ExpectedEnvironment(manifest, program, reference, problems, name))
            {
                explained.Add(key);
                if (expected is null)
                {
                    continue; // allowed, not required
                }
                if (!env.TryGetValue(key, out var actual))
                {
                    problems.Add($"{name}: Program.cs line {reference.Line} WithReference({reference.Target}) but the manifest has no {key}.");
                }
                else if (prefix ? !actual.StartsWith(expected, StringComparison.Ordinal) : actual != expected)
                {
                    problems.Add($"{name}: {key} is \"{actual}\"; WithReference({reference.Target}) gives \"{expected}{(prefix ? "…" : "")}\".");
                }
            }
        }
        foreach (var (key, parameter, literal) in project.Environment)
        {
            explained.Add(key);
            var expected = parameter is not null ? $"{{{parameter}.value}}" : literal;
            if (!env.TryGetValue(key, out var actual) || actual != expected)
            {
                problems.Add($"{name}: WithEnvironment(\"{key}\", …) should be \"{expected}\" in the manifest, not \"{actual}\".");
            }
        }
        // Aspire 13 may add polyglot forms of a reference ({NAME}_HOST, {NAME}_URI, API_HTTP, …) beside the .NET ones;
        // they are allowed for what is referenced, never required.
        var polyglotPrefixes = project.References.Select(r => r.Target.ToUpperInvariant().Replace('-', '_') + "_").ToList();
        foreach (var key in env.Keys.Where(k => !explained.Contains(k) && !polyglotPrefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal))))
        {
            problems.Add($"{name}: the manifest gives {key}, which no WithReference/WithEnvironment in Program.cs explains.");
        }

        // Replicas and external endpoints.
        var replicas = (int?)json["replicas"];
        if (replicas != project.Replicas && !(project.Replicas is null && replicas is null or 1))
        {
            problems.Add($"{name}: Program.cs has {(project.Replicas is { } r ? $"WithReplicas({r})" : "no WithReplicas")} but the manifest has replicas {replicas?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unset"}.");
        }
        var external = project.Calls.Contains("WithExternalHttpEndpoints");
        foreach (var (binding, properties) in bindings.Where(b => (string?)b.Value["scheme"] is "http" or "https"))
        {
            if (((bool?)properties["external"] ?? false) != external)
            {
                problems.Add($"{name}: binding {binding} is {(external ? "not " : "")}external in the manifest, but Program.cs {(external ? "calls" : "does not call")} WithExternalHttpEndpoints.");
            }
        }

        // Not in the manifest, but part of the same contract: a service waits for what it uses and is health-checked.
        foreach (var reference in project.References)
        {
            var target = program.Find(reference.Target);
            if (target?.Kind is AppHostResourceKind.Container or AppHostResourceKind.Database or AppHostResourceKind.Project or AppHostResourceKind.CdkStack
                && !project.WaitsFor.Contains(reference.Target))
            {
                problems.Add($"{name} references {reference.Target} but does not WaitFor it.");
            }
        }
        if (!project.Calls.Contains("WithHttpHealthCheck"))
        {
            problems.Add($"{name} has no WithHttpHealthCheck(\"/health\").");
        }
    }

    // The environment a WithReference injects into a project: (key, expected value or null when merely allowed, is prefix).
    private static IEnumerable<(string Key, string? Expected, bool Prefix)> ExpectedEnvironment(
        AspireManifest manifest, AppHostProgram program, AppHostReference reference, List<string> problems, string project)
    {
        var target = program.Find(reference.Target)!;
        var connection = reference.ConnectionName ?? target.Name;
        switch (target.Kind)
        {
            case AppHostResourceKind.Project:
                foreach (var binding in manifest.Bindings(target.Name).Where(b => (string?)b.Value["scheme"] is "http" or "https"))
                {
                    yield return ($"services__{target.Name}__{binding.Key}__0", $"{{{target.Name}.bindings.{binding.Key}.url}}", false);
                }
                break;
            case AppHostResourceKind.CdkStack when reference.OutputName is not null:
                var section = (reference.ConfigSection ?? "AWS:Resources").Replace(":", "__", StringComparison.Ordinal);
                yield return ($"{section}__{reference.OutputName}", $"{{{target.Name}.output.{reference.OutputName}}}", false);
                break;
            case AppHostResourceKind.CdkStack:
                problems.Add($"{project}: WithReference({target.Name}) of a whole stack injects every output; this check only reads output references.");
                break;
            case AppHostResourceKind.AwsSdkConfig:
                // Allowed, not required: the profile is applied only when one is configured, and whether Aspire.Hosting.AWS
                // writes region/profile when publishing (a deployed service gets its region from the platform) is not
                // something this repository can observe without nuget.org.
                foreach (var key in (string[])["AWS__Region", "AWS_REGION", "AWS__Profile", "AWS_PROFILE"])
                {
                    yield return (key, null, false);
                }
                break;
            case AppHostResourceKind.Container when target.Method == "AddQdrant":
                yield return ($"ConnectionStrings__{connection}", $"{{{target.Name}.connectionString}}", false);
                yield return ($"ConnectionStrings__{connection}_http", $"Endpoint={{{target.Name}.bindings.http.url}};", true);
                break;
            case AppHostResourceKind.Parameter:
                problems.Add($"{project}: WithReference({target.Name}) of a plain parameter; use WithEnvironment.");
                break;
            default:
                yield return ($"ConnectionStrings__{connection}", $"{{{target.Name}.connectionString}}", false);
                break;
        }
    }
}
