using System.Collections.Frozen;

namespace AspireTickets.Ingestion.Enrichment;

/// <summary>
/// The words that say what a ticket is about: frequent non-function words, the title counting double because
/// people put the gist there. Good enough for facets and search suggestions; similarity uses embeddings.
/// </summary>
public sealed class KeywordExtractor
{
    public const int DefaultCount = 8;

    private static readonly FrozenSet<string> Ignored = new[]
    {
        // English function words and ticket boilerplate that every ticket shares.
        "the", "and", "is", "are", "was", "were", "to", "of", "in", "it", "that", "this", "for", "with", "on", "not", "be", "have", "has",
        "had", "you", "your", "we", "our", "they", "can", "could", "would", "should", "will", "do", "does", "did", "from", "at", "by", "an",
        "or", "but", "my", "me", "please", "when", "after", "since", "there", "their", "what", "which", "who", "how", "all", "any", "some",
        "get", "got", "also", "just", "been", "being", "into", "than", "then", "them", "these", "those", "its", "i'm", "it's", "don't",
        "hello", "hi", "dear", "regards", "thanks", "thank", "best", "team", "support", "ticket", "issue", "problem", "still", "again", "now",
        "der", "die", "das", "und", "ist", "nicht", "ich", "sie", "es", "wir", "ein", "eine", "mit", "auf", "für", "von", "zu", "den", "dem",
        "le", "la", "les", "et", "est", "ne", "pas", "je", "nous", "vous", "un", "une", "des", "du", "de", "dans", "pour", "avec", "sur",
        "el", "los", "las", "y", "es", "no", "en", "para", "con", "por", "que", "del", "se", "lo", "o", "os", "as", "e", "não", "um", "uma",
        "da", "do", "dos", "das", "na", "il", "gli", "di", "che", "per", "non", "het", "een", "van", "op", "voor", "te", "dat", "die", "ik",
    }.ToFrozenSet(StringComparer.Ordinal);

    public IReadOnlyList<string> Extract(string title, string description, int count = DefaultCount)
    {
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        var firstSeen = new Dictionary<string, int>(StringComparer.Ordinal);
        var position = 0;
        void Score(string text, double weight)
        {
            foreach (var word in TextTokens.Words(text.ToLowerInvariant()))
            {
                if (word.Length < 3 || Ignored.Contains(word))
                {
                    continue;
                }
                scores[word] = scores.GetValueOrDefault(word) + weight;
                firstSeen.TryAdd(word, position++);
            }
        }
        Score(title, 2.0);
        Score(description.Length > 50_000 ? description[..50_000] : description, 1.0);

        return scores
            .OrderByDescending(kv => kv.Value)
            .ThenBy(kv => firstSeen[kv.Key])
            .Take(count)
            .Select(kv => kv.Key)
            .ToList();
    }
}
