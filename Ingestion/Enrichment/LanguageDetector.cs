using System.Collections.Frozen;

namespace AspireTickets.Ingestion.Enrichment;

/// <summary>
/// Tells which language a ticket is written in from two profiles per language: its most frequent function
/// words (decisive on sentences) and its characteristic character trigrams (which still work on short,
/// keyword-like text). No model file is needed, so it works in the embedded run and in tests alike.
/// </summary>
public sealed class LanguageDetector
{
    public const string Undetermined = "und";

    private sealed record Profile(string Code, FrozenSet<string> StopWords, string[] Trigrams);

    private static readonly Profile[] Profiles =
    [
        new("en", Set("the and is are was were to of in it that this for with on not be have has had you your we our they can cannot can't could would should will do does did don't doesn't no from at by an or but my me please when after since"),
            ["the", "ing", "and", "ion", "tio", "ent", "her", "tha", "hat", "his", "ere", "ith", "wit"]),
        new("de", Set("der die das und ist nicht ich sie es wir ein eine einen mit auf für von zu den dem des im bei wird werden kann können nach seit bitte wenn aber auch noch mein meine unser funktioniert oder sich"),
            ["sch", "ich", "ein", "die", "der", "und", "cht", "gen", "ung", "eit", "ßen", "äch", "üge"]),
        new("fr", Set("le la les et est ne pas je nous vous il elle un une des du de dans pour avec sur au aux ce cette qui que mon ma mes notre depuis quand mais fonctionne plus sont être"),
            ["les", "ent", "que", "ion", "eur", "tre", "des", "our", "ais", "ées", "çon", "ète", "à l"]),
        new("es", Set("el la los las y es no yo nosotros usted un una unos de del en para con por al que mi mis nuestro desde cuando pero funciona más está están ser hay muy se lo"),
            ["que", "ión", "los", "ent", "con", "ado", "las", "est", "par", "ien", "ñ", "ció", "nte"]),
        new("pt", Set("o a os as e é não eu nós você um uma uns de do da dos das em no na para com por ao que meu minha nosso desde quando mas funciona mais está estão ser há muito se"),
            ["ção", "ões", "que", "ent", "com", "ado", "não", "est", "par", "nho", "lhe", "ão ", "ara"]),
        new("it", Set("il lo la i gli le e è non io noi voi un una di del della in per con su al che mio mia nostro da quando ma funziona più sono essere c'è molto si ho abbiamo"),
            ["che", "zio", "ion", "ell", "ent", "non", "per", "ato", "gli", "sta", "are", "ere", "ità"]),
        new("nl", Set("de het een en is niet ik wij we u je van in op voor met aan te dat die dit mijn onze sinds wanneer maar werkt meer zijn er ook al wordt kan kunnen"),
            ["een", "het", "van", "ijk", "oor", "sch", "aar", "ijn", "cht", "eer", "erk", "ijd", "niet"]),
    ];

    private static FrozenSet<string> Set(string words) =>
        words.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal);

    public static IReadOnlyList<string> SupportedLanguages { get; } = Profiles.Select(p => p.Code).ToArray();

    /// <summary>ISO 639-1 code, or <see cref="Undetermined"/> when the text gives too little evidence.</summary>
    public string Detect(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Undetermined;
        }

        var lower = text.Length > 20_000 ? text[..20_000].ToLowerInvariant() : text.ToLowerInvariant();
        var words = TextTokens.Words(lower);
        var scores = new double[Profiles.Length];
        for (var i = 0; i < Profiles.Length; i++)
        {
            var profile = Profiles[i];
            var stopHits = 0;
            foreach (var word in words)
            {
                if (profile.StopWords.Contains(word))
                {
                    stopHits++;
                }
            }
            var trigramHits = 0;
            foreach (var trigram in profile.Trigrams)
            {
                trigramHits += Count(lower, trigram);
            }
            // A function word is much stronger evidence than a trigram, which many languages share.
            scores[i] = stopHits * 3.0 + trigramHits * 0.5;
        }

        var best = 0;
        for (var i = 1; i < scores.Length; i++)
        {
            if (scores[i] > scores[best])
            {
                best = i;
            }
        }
        return scores[best] >= 2.0 ? Profiles[best].Code : Undetermined;
    }

    private static int Count(string text, string part)
    {
        var count = 0;
        var index = 0;
        while ((index = text.IndexOf(part, index, StringComparison.Ordinal)) >= 0)
        {
            count++;
            index += part.Length;
        }
        return count;
    }
}
