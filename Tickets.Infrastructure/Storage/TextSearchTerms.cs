using System.Text.RegularExpressions;

namespace AspireTickets.Infrastructure.Storage;

/// <summary>
/// Turns what a user typed into the words a full-text search must all find. Only letters and digits survive,
/// so operators, quotes, wildcards and parentheses (<c>"</c>, <c>*</c>, <c>(</c>, <c>-</c>, <c>NEAR</c> as syntax)
/// can never reach the search engine as syntax: each word is then quoted as a literal by the adapter.
/// </summary>
internal static partial class TextSearchTerms
{
    /// <summary>Bounds the cost of one search; more words than this add nothing a person would miss.</summary>
    public const int MaxWords = 16;

    public static IReadOnlyList<string> Words(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }
        return WordPattern().Matches(text)
            .Select(m => m.Value.ToLowerInvariant())
            .Distinct(StringComparer.Ordinal)
            .Take(MaxWords)
            .ToList();
    }

    // The separators of SQLite's unicode61 tokenizer and MongoDB's text index: anything but letters, digits, marks.
    [GeneratedRegex(@"[\p{L}\p{N}\p{M}]+", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();
}
