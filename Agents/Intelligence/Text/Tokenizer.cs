namespace AspireTickets.Agents.Intelligence.Text;

/// <summary>Splits text into lowercase alphanumeric tokens; the one definition every local model shares.</summary>
public static class Tokenizer
{
    /// <summary>Lowercase runs of letters and digits (anything else separates tokens).</summary>
    public static List<string> Tokenize(string? text)
    {
        var tokens = new List<string>();
        if (string.IsNullOrEmpty(text))
        {
            return tokens;
        }

        foreach (var (start, length) in WordSpans(text))
        {
            tokens.Add(text.Substring(start, length).ToLowerInvariant());
        }

        return tokens;
    }

    /// <summary>Where the runs of letters and digits are, without allocating a string per token.</summary>
    public static List<(int Start, int Length)> WordSpans(string? text)
    {
        var spans = new List<(int, int)>();
        if (string.IsNullOrEmpty(text))
        {
            return spans;
        }

        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var isWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (isWord && start < 0)
            {
                start = i;
            }
            else if (!isWord && start >= 0)
            {
                spans.Add((start, i - start));
                start = -1;
            }
        }

        return spans;
    }

    /// <summary>Tokens, minus stop words, reduced to their Porter stems.</summary>
    public static List<string> StemmedTerms(string? text)
    {
        var tokens = Tokenize(text);
        var terms = new List<string>(tokens.Count);
        foreach (var token in tokens)
        {
            if (StopWords.Contains(token))
            {
                continue;
            }

            terms.Add(PorterStemmer.Stem(token));
        }

        return terms;
    }

    // A short English list: enough to stop "the"/"is" from dominating lexical scores, short enough
    // that negations ("not", "no") and question words, which matter for triage, survive.
    public static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as",
        "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those",
        "i", "me", "my", "we", "our", "you", "your", "he", "she", "they", "them", "his", "her", "their",
        "am", "do", "does", "did", "has", "have", "had", "so", "if", "then", "than", "there", "here",
        "but", "also", "just", "which", "who", "whom", "into", "out", "up", "about", "over", "s", "t",
    };
}
