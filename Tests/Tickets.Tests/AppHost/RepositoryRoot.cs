namespace AspireTickets.Tests.AppHost;

/// <summary>The folder holding AspireTickets.sln, found by walking up from the test's base directory.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "AspireTickets.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No AspireTickets.sln above {AppContext.BaseDirectory}.");
    });

    public static string Path => Root.Value;

    public static string File(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);
}
