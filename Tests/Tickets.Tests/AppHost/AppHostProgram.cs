using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AspireTickets.Tests.AppHost;

/// <summary>What a resource is, as far as the manifest is concerned.</summary>
public enum AppHostResourceKind
{
    Parameter,
    ConnectionString,
    Container,
    Database,
    Project,
    CdkStack,
    AwsSdkConfig,
}

/// <summary>A resource added in AppHost/Program.cs (<c>builder.AddXxx("name", …)</c>) and what is done to it.</summary>
public sealed class AppHostResource(string name, AppHostResourceKind kind, string method, int line)
{
    public string Name { get; } = name;
    public AppHostResourceKind Kind { get; } = kind;

    /// <summary>The Add method, e.g. <c>AddQdrant</c>: it decides what a reference to the resource injects.</summary>
    public string Method { get; } = method;

    public int Line { get; } = line;

    /// <summary><c>Projects.X</c> of an AddProject.</summary>
    public string? ProjectType { get; init; }

    public bool Secret { get; init; }

    /// <summary>Parameters given as <c>password:</c> / <c>apiKey:</c> arguments.</summary>
    public IReadOnlyDictionary<string, string> ParameterArguments { get; init; } = new Dictionary<string, string>();

    public List<AppHostReference> References { get; } = [];
    public List<string> WaitsFor { get; } = [];
    public List<(string Name, string? Parameter, string? Literal)> Environment { get; } = [];
    public List<string> Calls { get; } = [];
    public int? Replicas { get; set; }
    public List<string?> DataVolumes { get; } = [];
}

/// <summary>
/// <c>WithReference(target)</c>, or for a CDK stack <c>WithReference(stack, s => …, "OutputName", "Config:Section")</c>,
/// or <c>WithReference(target, "connectionName")</c>.
/// </summary>
public sealed record AppHostReference(string Target, string? OutputName, string? ConfigSection, string? ConnectionName, int Line);

/// <summary>
/// AppHost/Program.cs read with Roslyn (syntax only: Aspire cannot be restored here, so it cannot be compiled).
/// Resources are found by their Add* calls; each With*/WaitFor call is attributed to the resource at the root of
/// its call chain, whether the chain starts at the Add call or at a variable holding it.
/// </summary>
public sealed class AppHostProgram
{
    private static readonly Dictionary<string, AppHostResourceKind> AddMethods = new(StringComparer.Ordinal)
    {
        ["AddParameter"] = AppHostResourceKind.Parameter,
        ["AddConnectionString"] = AppHostResourceKind.ConnectionString,
        ["AddMongoDB"] = AppHostResourceKind.Container,
        ["AddKafka"] = AppHostResourceKind.Container,
        ["AddQdrant"] = AppHostResourceKind.Container,
        ["AddRedis"] = AppHostResourceKind.Container,
        ["AddDatabase"] = AppHostResourceKind.Database,
        ["AddProject"] = AppHostResourceKind.Project,
        ["AddAWSCDKStack"] = AppHostResourceKind.CdkStack,
        ["AddAWSSDKConfig"] = AppHostResourceKind.AwsSdkConfig,
    };

    /// <summary>Name given to the (nameless) AWS SDK configuration; it is not a manifest resource.</summary>
    public const string AwsSdkConfigName = "(AddAWSSDKConfig)";

    private readonly Dictionary<InvocationExpressionSyntax, AppHostResource> _byAddCall = [];
    private readonly Dictionary<string, AppHostResource> _byVariable = new(StringComparer.Ordinal);

    private AppHostProgram(string source)
    {
        var root = CSharpSyntaxTree.ParseText(source).GetCompilationUnitRoot();
        var parseErrors = root.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (parseErrors.Count > 0)
        {
            throw new FormatException("AppHost/Program.cs does not parse: " + string.Join("; ", parseErrors));
        }

        var invocations = root.DescendantNodes().OfType<InvocationExpressionSyntax>().ToList();

        foreach (var call in invocations.Where(c => MethodName(c) is { } m && m.StartsWith("Add", StringComparison.Ordinal) && IsOnBuilderChain(c)))
        {
            var resource = ReadAddCall(call);
            _byAddCall[call] = resource;
            Resources.Add(resource);
        }

        foreach (var declarator in root.DescendantNodes().OfType<VariableDeclaratorSyntax>())
        {
            // The variable holds the outermost Add call of its initializer: `AddMongoDB(…).AddDatabase("tickets")` is tickets.
            var add = declarator.Initializer?.Value.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>()
                .Where(_byAddCall.ContainsKey)
                .MaxBy(c => c.Span.Length);
            if (add is not null)
            {
                _byVariable[declarator.Identifier.ValueText] = _byAddCall[add];
            }
        }

        foreach (var call in invocations.Where(c => !_byAddCall.ContainsKey(c)))
        {
            if (MethodName(call) is not { } method || call.Expression is not MemberAccessExpressionSyntax access)
            {
                continue;
            }
            var target = Resolve(access.Expression);
            if (target is null)
            {
                continue;
            }
            ReadCall(target, method, call);
        }
    }

    public List<AppHostResource> Resources { get; } = [];

    /// <summary>Statements of Program.cs that called something on a resource this model does not understand.</summary>
    public List<string> Unsupported { get; } = [];

    public static AppHostProgram Parse(string source) => new(source);

    public static AppHostProgram Load() => Parse(System.IO.File.ReadAllText(RepositoryRoot.File("AppHost", "Program.cs")));

    public AppHostResource? Find(string name) => Resources.FirstOrDefault(r => r.Name == name);

    public IEnumerable<AppHostResource> OfKind(AppHostResourceKind kind) => Resources.Where(r => r.Kind == kind);

    private static string? MethodName(InvocationExpressionSyntax call) => call.Expression switch
    {
        MemberAccessExpressionSyntax m => m.Name.Identifier.ValueText,
        SimpleNameSyntax n => n.Identifier.ValueText,
        _ => null,
    };

    private static int Line(SyntaxNode node) => node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;

    // `builder.AddX(...)` or `<…>.AddDatabase(...)` on a resource; not e.g. `services.AddSingleton` in a lambda.
    private static bool IsOnBuilderChain(InvocationExpressionSyntax call)
    {
        for (ExpressionSyntax e = call; ;)
        {
            switch (e)
            {
                case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax m }:
                    e = m.Expression;
                    break;
                case IdentifierNameSyntax:
                    return true;
                default:
                    return false;
            }
        }
    }

    private AppHostResource ReadAddCall(InvocationExpressionSyntax call)
    {
        var method = MethodName(call)!;
        var line = Line(call);
        if (!AddMethods.TryGetValue(method, out var kind))
        {
            Unsupported.Add($"line {line}: {method} is not a resource this check knows; teach AppHostProgram about it.");
            kind = AppHostResourceKind.Container;
        }

        var args = call.ArgumentList.Arguments;
        var name = kind == AppHostResourceKind.AwsSdkConfig
            ? AwsSdkConfigName
            : args.FirstOrDefault(a => a.NameColon is null) is { Expression: LiteralExpressionSyntax literal } && literal.IsKind(SyntaxKind.StringLiteralExpression)
                ? literal.Token.ValueText
                : $"(unnamed {method} at line {line})";

        var projectType = call.Expression is MemberAccessExpressionSyntax { Name: GenericNameSyntax generic }
            ? generic.TypeArgumentList.Arguments.Single().ToString()
            : null;

        var secret = args.Any(a => a.NameColon?.Name.Identifier.ValueText == "secret" && a.Expression.IsKind(SyntaxKind.TrueLiteralExpression))
            || (kind == AppHostResourceKind.Parameter && args.Count >= 2 && args[1].NameColon is null && args[1].Expression.IsKind(SyntaxKind.TrueLiteralExpression));

        var parameterArguments = args
            .Where(a => a.NameColon is not null && a.Expression is IdentifierNameSyntax)
            .ToDictionary(a => a.NameColon!.Name.Identifier.ValueText, a => ((IdentifierNameSyntax)a.Expression).Identifier.ValueText);

        return new AppHostResource(name, kind, method, line)
        {
            ProjectType = projectType,
            Secret = secret || kind == AppHostResourceKind.ConnectionString,
            ParameterArguments = parameterArguments,
        };
    }

    // The resource a call chain is made on: the nearest Add call below it, or the variable at its root.
    private AppHostResource? Resolve(ExpressionSyntax receiver)
    {
        while (true)
        {
            switch (receiver)
            {
                case InvocationExpressionSyntax call when _byAddCall.TryGetValue(call, out var added):
                    return added;
                case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax m }:
                    receiver = m.Expression;
                    break;
                case IdentifierNameSyntax id:
                    return _byVariable.GetValueOrDefault(id.Identifier.ValueText);
                case ParenthesizedExpressionSyntax p:
                    receiver = p.Expression;
                    break;
                default:
                    return null;
            }
        }
    }

    /// <summary>Resolves a variable name (as used in parameter arguments) to the resource it holds.</summary>
    public AppHostResource? Variable(string name) => _byVariable.GetValueOrDefault(name);

    private void ReadCall(AppHostResource target, string method, InvocationExpressionSyntax call)
    {
        var args = call.ArgumentList.Arguments;
        var line = Line(call);
        target.Calls.Add(method);
        switch (method)
        {
            case "WithReference":
            {
                var referenced = args.Count > 0 ? ResolveArgument(args[0].Expression) : null;
                if (referenced is null)
                {
                    Unsupported.Add($"line {line}: WithReference({args.FirstOrDefault()}) on {target.Name} names no resource of Program.cs.");
                    return;
                }
                var strings = args.Skip(1).Select(a => a.Expression).OfType<LiteralExpressionSyntax>()
                    .Where(l => l.IsKind(SyntaxKind.StringLiteralExpression)).Select(l => l.Token.ValueText).ToList();
                var hasOutputDelegate = args.Skip(1).Any(a => a.Expression is LambdaExpressionSyntax);
                target.References.Add(hasOutputDelegate
                    ? new AppHostReference(referenced.Name, strings.ElementAtOrDefault(0), strings.ElementAtOrDefault(1), null, line)
                    : new AppHostReference(referenced.Name, null, null, strings.ElementAtOrDefault(0), line));
                break;
            }
            case "WaitFor":
            case "WaitForCompletion":
                if (args.Count > 0 && ResolveArgument(args[0].Expression) is { } awaited)
                {
                    target.WaitsFor.Add(awaited.Name);
                }
                break;
            case "WithReplicas":
                target.Replicas = args.Count > 0 && args[0].Expression is LiteralExpressionSyntax { Token.Value: int n } ? n : -1;
                break;
            case "WithEnvironment":
                if (args.Count == 2 && args[0].Expression is LiteralExpressionSyntax nameLiteral)
                {
                    var value = args[1].Expression;
                    target.Environment.Add((
                        nameLiteral.Token.ValueText,
                        value is IdentifierNameSyntax id ? _byVariable.GetValueOrDefault(id.Identifier.ValueText)?.Name ?? id.Identifier.ValueText : null,
                        value is LiteralExpressionSyntax valueLiteral ? valueLiteral.Token.ValueText : null));
                }
                else
                {
                    Unsupported.Add($"line {line}: WithEnvironment on {target.Name} in a form this check does not read.");
                }
                break;
            case "WithDataVolume":
                target.DataVolumes.Add(args.FirstOrDefault() is { Expression: LiteralExpressionSyntax volume } ? volume.Token.ValueText : null);
                break;
        }
    }

    private AppHostResource? ResolveArgument(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax id => _byVariable.GetValueOrDefault(id.Identifier.ValueText),
        InvocationExpressionSyntax call => Resolve(call),
        _ => null,
    };
}
