namespace AspireTickets.Domain.Taxonomy;

/// <summary>
/// The categories tickets may be filed under. Configured (section <c>Tickets:Taxonomy</c>) and editable
/// by leads; agents and people can only ever write values from it.
/// </summary>
public sealed class TicketTaxonomy
{
    public static readonly IReadOnlyList<string> DefaultCategories =
    [
        "bug",
        "feature",
        "question",
        "incident",
        "account",
        "billing",
        "security",
        "performance",
    ];

    public List<string> Categories { get; set; } = [.. DefaultCategories];

    public bool IsKnownCategory(string category) =>
        Categories.Contains(category, StringComparer.OrdinalIgnoreCase);

    /// <summary>The taxonomy's own spelling of a category, or null when it is not part of it.</summary>
    public string? Normalize(string? category) =>
        category is null ? null : Categories.FirstOrDefault(c => string.Equals(c, category.Trim(), StringComparison.OrdinalIgnoreCase));
}
