namespace AspireTickets.Api.Model;

/// <summary>The taxonomy a lead saves: the whole list of categories, in the order people should see them.</summary>
public sealed record TaxonomyRequest(IReadOnlyList<string?>? Categories);

public static class TaxonomyValidation
{
    public const int MaxCategories = 100;

    /// <summary>As long as a label: categories are shown and filtered on like labels.</summary>
    public const int MaxCategoryLength = TicketValidation.MaxLabelLength;

    /// <summary>
    /// The trimmed categories, or null with the reasons per field (<c>categories</c>, <c>categories[i]</c>). Letters,
    /// digits, '-' and '_' only: a category is part of SLA policy ids (<c>critical.billing</c>) and of query strings.
    /// </summary>
    public static IReadOnlyList<string>? Categories(TaxonomyRequest request, TicketValidation.Errors errors)
    {
        var categories = request.Categories;
        if (categories is null || categories.Count == 0)
        {
            errors.Add("categories", "At least one category is required.");
            return null;
        }
        if (categories.Count > MaxCategories)
        {
            errors.Add("categories", $"At most {MaxCategories} categories are allowed.");
        }
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < categories.Count; i++)
        {
            var category = categories[i]?.Trim();
            if (string.IsNullOrEmpty(category))
            {
                errors.Add($"categories[{i}]", "A category must not be empty.");
            }
            else if (category.Length > MaxCategoryLength)
            {
                errors.Add($"categories[{i}]", $"A category must have at most {MaxCategoryLength} characters.");
            }
            else if (!category.All(c => char.IsLetterOrDigit(c) || c is '-' or '_'))
            {
                errors.Add($"categories[{i}]", $"'{category}' may only contain letters, digits, '-' and '_'.");
            }
            else if (!seen.TryAdd(category, i))
            {
                errors.Add($"categories[{i}]", $"'{category}' is already category {seen[category] + 1}.");
            }
        }
        return errors.Any ? null : [.. categories.Select(c => c!.Trim())];
    }
}
