namespace AspireTickets.Tests.Intelligence;

/// <summary>Locates the shared evaluation data: ../shared/data beside the folder holding AspireTickets.sln.</summary>
internal static class SharedData
{
    public static string Root()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AspireTickets.sln")))
        {
            directory = directory.Parent;
        }

        if (directory?.Parent is null)
        {
            throw new InvalidOperationException($"No AspireTickets.sln above {AppContext.BaseDirectory}.");
        }

        var data = Path.Combine(directory.Parent.FullName, "shared", "data");
        if (!Directory.Exists(data))
        {
            throw new InvalidOperationException($"The shared evaluation data is missing: expected {data}.");
        }

        return data;
    }
}
