namespace AspireTickets.Infrastructure.Storage;

/// <summary>The embedded store's settings (section <c>Tickets</c>).</summary>
public sealed class TicketStorageOptions
{
    public const string SectionName = "Tickets";

    /// <summary>Folder of the embedded data (<c>tickets.db</c>); relative paths are resolved against the content root.</summary>
    public string DataDirectory { get; set; } = "./data";
}
