namespace AspireTickets.Tests;

/// <summary>Finds the repository root (the folder with AspireTickets.sln) and the shared folder beside it.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>A path under <c>../shared</c> next to the repository, where the evaluation data and contracts live.</summary>
    public static string Shared(params string[] parts) => Path.GetFullPath(Path.Combine([Root, "..", "shared", .. parts]));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AspireTickets.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No AspireTickets.sln above {AppContext.BaseDirectory}.");
    }
}
