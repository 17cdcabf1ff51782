using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AspireTickets.Tests.AppHost;

/// <summary>
/// AspireTickets.Offline.slnf is what builds without nuget.org: every project of AspireTickets.sln except those
/// that need Aspire packages. A project added to the solution but not to the filter would go unbuilt offline.
/// </summary>
public sealed partial class SolutionFilterTests
{
    /// <summary>Projects that restore Aspire packages (nuget.org only), so the offline build leaves them out.</summary>
    public static readonly IReadOnlySet<string> NeedAspire = new HashSet<string>(StringComparer.Ordinal)
    {
        @"AppHost\AppHost.csproj",
        @"Tests\AppHost.Tests\AppHost.Tests.csproj",
    };

    [GeneratedRegex("""^Project\("\{[^}]+\}"\) = "[^"]+", "(?<path>[^"]+\.csproj)", """, RegexOptions.Multiline)]
    private static partial Regex SolutionProject();

    private static IReadOnlyList<string> SolutionProjects() =>
        SolutionProject().Matches(File.ReadAllText(RepositoryRoot.File("AspireTickets.sln"))).Select(m => m.Groups["path"].Value).ToList();

    private static IReadOnlyList<string> FilterProjects()
    {
        var filter = JsonNode.Parse(File.ReadAllText(RepositoryRoot.File("AspireTickets.Offline.slnf")))!;
        Assert.Equal("AspireTickets.sln", (string?)filter["solution"]!["path"]);
        return filter["solution"]!["projects"]!.AsArray().Select(p => (string)p!).ToList();
    }

    [Fact]
    public void The_offline_filter_has_every_project_but_those_needing_Aspire() =>
        Assert.Equal(
            SolutionProjects().Where(p => !NeedAspire.Contains(p)).Order(StringComparer.Ordinal),
            FilterProjects().Order(StringComparer.Ordinal));

    [Fact]
    public void The_Aspire_projects_are_in_the_solution_and_reference_Aspire()
    {
        Assert.Subset(SolutionProjects().ToHashSet(), NeedAspire.ToHashSet());
        foreach (var project in NeedAspire)
        {
            var text = File.ReadAllText(RepositoryRoot.File(project.Split('\\')));
            Assert.Contains("Aspire.", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void No_offline_project_references_an_Aspire_package_or_project()
    {
        foreach (var project in FilterProjects())
        {
            var text = File.ReadAllText(RepositoryRoot.File(project.Split('\\')));
            Assert.DoesNotContain("Include=\"Aspire.", text, StringComparison.Ordinal);
            Assert.DoesNotContain("AppHost.csproj", text, StringComparison.Ordinal);
        }
    }
}
