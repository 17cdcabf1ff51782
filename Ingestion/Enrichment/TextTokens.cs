using System.Text.RegularExpressions;

namespace AspireTickets.Ingestion.Enrichment;

internal static partial class TextTokens
{
    // Letters with inner apostrophes ("don't", "c'è") stay one word; digits are not words.
    [GeneratedRegex(@"\p{L}+(?:['’]\p{L}+)*", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    public static List<string> Words(string text)
    {
        var words = new List<string>();
        foreach (var match in WordPattern().EnumerateMatches(text))
        {
            words.Add(text.Substring(match.Index, match.Length).Replace('’', '\''));
        }
        return words;
    }
}
