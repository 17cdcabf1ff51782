namespace AspireTickets.Infrastructure.Storage;

/// <summary>The embedded store's settings (section <c>Tickets</c>).</summary>
public sealed class TicketStorageOptions
{
    public const string SectionName = "Tickets";

    /// <summary>Folder of the embedded data (<c>tickets.db</c>); relative paths are resolved against the content root.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>The data folder from configuration, with a relative path resolved against the content root.</summary>
    public static string ResolveDataDirectory(Microsoft.Extensions.Hosting.IHostApplicationBuilder builder)
    {
        var options = new TicketStorageOptions();
        Microsoft.Extensions.Configuration.ConfigurationBinder.Bind(builder.Configuration.GetSection(SectionName), options);
        return Path.IsPathRooted(options.DataDirectory)
            ? options.DataDirectory
            : Path.GetFullPath(Path.Combine(builder.Environment.ContentRootPath, options.DataDirectory));
    }
}
