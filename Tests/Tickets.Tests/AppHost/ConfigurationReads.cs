using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AspireTickets.Tests.AppHost;

/// <summary>
/// A configuration key a service's code reads, normalized to the environment variable the AppHost must inject:
/// <c>ConnectionStrings__tickets</c>, <c>AWS__Resources__rawtickets__BucketName</c> (or the section prefix
/// <c>AWS__Resources__rawtickets__</c> when only the section is named), <c>services__api__</c>.
/// </summary>
public sealed record ConfigurationRead(string EnvironmentKey, bool IsPrefix, string Source)
{
    public bool IsSatisfiedBy(IEnumerable<string> environmentKeys) =>
        IsPrefix
            ? environmentKeys.Any(k => k.StartsWith(EnvironmentKey, StringComparison.Ordinal))
            : environmentKeys.Contains(EnvironmentKey, StringComparer.Ordinal);
}

/// <summary>
/// Finds the configuration a set of C# files reads, syntactically: <c>ConnectionNames.X</c> (resolved through the
/// constants of the ConnectionNames class), <c>GetConnectionString("x")</c>, and string literals
/// <c>"ConnectionStrings:x"</c>, <c>"AWS:Resources:…"</c>, <c>"services:name…"</c>, <c>"https+http://name"</c>.
/// Only string literals count, so keys named in comments or doc comments are not reads.
/// </summary>
public sealed class ConfigurationScanner(IReadOnlyDictionary<string, string> connectionNames)
{
    public IReadOnlyDictionary<string, string> ConnectionNames { get; } = connectionNames;

    /// <summary>The constants of <c>static class ConnectionNames</c> found in <paramref name="files"/>.</summary>
    public static Dictionary<string, string> ReadConnectionNames(IEnumerable<(string Path, string Text)> files)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (_, text) in files)
        {
            var root = CSharpSyntaxTree.ParseText(text).GetRoot();
            foreach (var type in root.DescendantNodes().OfType<ClassDeclarationSyntax>().Where(c => c.Identifier.ValueText == "ConnectionNames"))
            {
                foreach (var field in type.Members.OfType<FieldDeclarationSyntax>().Where(f => f.Modifiers.Any(SyntaxKind.ConstKeyword)))
                {
                    foreach (var variable in field.Declaration.Variables)
                    {
                        if (variable.Initializer?.Value is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression))
                        {
                            names[variable.Identifier.ValueText] = literal.Token.ValueText;
                        }
                    }
                }
            }
        }
        return names;
    }

    public IReadOnlyList<ConfigurationRead> Scan(IEnumerable<(string Path, string Text)> files)
    {
        var reads = new List<ConfigurationRead>();
        foreach (var (path, text) in files)
        {
            var root = CSharpSyntaxTree.ParseText(text, path: path).GetRoot();
            if (root.DescendantNodes().OfType<ClassDeclarationSyntax>().Any(c => c.Identifier.ValueText == "ConnectionNames"))
            {
                continue; // declaring the names is not reading them
            }

            foreach (var node in root.DescendantNodes())
            {
                var where = $"{path}:{node.GetLocation().GetLineSpan().StartLinePosition.Line + 1}";
                switch (node)
                {
                    case MemberAccessExpressionSyntax access when access.Expression is
                        IdentifierNameSyntax { Identifier.ValueText: "ConnectionNames" }
                        or MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConnectionNames" }:
                        if (ConnectionNames.TryGetValue(access.Name.Identifier.ValueText, out var connection))
                        {
                            reads.Add(new($"ConnectionStrings__{connection}", false, where));
                        }
                        else
                        {
                            reads.Add(new($"ConnectionStrings__?{access.Name.Identifier.ValueText}", false, where));
                        }
                        break;
                    case InvocationExpressionSyntax call
                        when call.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetConnectionString" }
                             && call.ArgumentList.Arguments.FirstOrDefault()?.Expression is LiteralExpressionSyntax name
                             && name.IsKind(SyntaxKind.StringLiteralExpression):
                        reads.Add(new($"ConnectionStrings__{name.Token.ValueText}", false, where));
                        break;
                    case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression)
                                                             && FromLiteral(literal.Token.ValueText) is { } read:
                        reads.Add(read with { Source = where });
                        break;
                }
            }
        }
        return reads;
    }

    private static ConfigurationRead? FromLiteral(string text)
    {
        const string connectionStrings = "ConnectionStrings:";
        if (text.StartsWith(connectionStrings, StringComparison.OrdinalIgnoreCase) && text.Length > connectionStrings.Length)
        {
            return new($"ConnectionStrings__{text[connectionStrings.Length..].Split(':')[0]}", false, "");
        }
        if (text.StartsWith("AWS:Resources:", StringComparison.OrdinalIgnoreCase))
        {
            var segments = text.Split(':', StringSplitOptions.RemoveEmptyEntries);
            return segments.Length switch
            {
                >= 4 => new(string.Join("__", segments), false, ""),
                3 => new(string.Join("__", segments) + "__", true, ""),
                _ => null,
            };
        }
        if (text.StartsWith("services:", StringComparison.OrdinalIgnoreCase) && text.Split(':') is [_, var service, ..] && service.Length > 0)
        {
            return new($"services__{service}__", true, "");
        }
        foreach (var scheme in (string[])["https+http://", "http+https://"])
        {
            if (text.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                var host = text[scheme.Length..].Split('/', ':')[0];
                return host.Length > 0 ? new($"services__{host}__", true, "") : null;
            }
        }
        return null;
    }
}

/// <summary>The projects of the repository and their ProjectReference edges, read from the .csproj files.</summary>
public static class ProjectGraph
{
    public static IReadOnlyList<string> References(string csproj)
    {
        var dir = Path.GetDirectoryName(csproj)!;
        return XDocument.Load(csproj).Descendants("ProjectReference")
            .Select(r => (string?)r.Attribute("Include"))
            .OfType<string>()
            .Select(include => Path.GetFullPath(Path.Combine(dir, include.Replace('\\', Path.DirectorySeparatorChar))))
            .ToList();
    }

    /// <summary>
    /// The project and the projects it references, transitively, without entering any of <paramref name="stopAt"/>:
    /// another service referenced for the embedded run (Web references Api, Agents, Ingestion) is not part of this
    /// service when it runs on its own.
    /// </summary>
    public static IReadOnlyList<string> Closure(string csproj, IReadOnlySet<string> stopAt)
    {
        var seen = new List<string> { Path.GetFullPath(csproj) };
        for (var i = 0; i < seen.Count; i++)
        {
            foreach (var reference in References(seen[i]))
            {
                if (!stopAt.Contains(reference) && !seen.Contains(reference))
                {
                    seen.Add(reference);
                }
            }
        }
        return seen;
    }

    /// <summary>The C# sources of a project (its folder, less bin/ and obj/).</summary>
    public static IEnumerable<(string Path, string Text)> Sources(string csproj, string? relativeTo = null)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(csproj))!;
        return Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(dir, f).Split(Path.DirectorySeparatorChar).Any(s => s is "bin" or "obj"))
            .Order(StringComparer.Ordinal)
            .Select(f => (Path.GetRelativePath(relativeTo ?? RepositoryRoot.Path, f), File.ReadAllText(f)));
    }
}
