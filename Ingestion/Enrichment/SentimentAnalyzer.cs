using System.Collections.Frozen;

namespace AspireTickets.Ingestion.Enrichment;

/// <summary>
/// Lexicon sentiment: word valences summed with negation ("not working" is negative, "not bad" mildly positive)
/// and intensifiers, squashed into [-1, 1] the way VADER does (x / sqrt(x² + α)). Small on purpose: support
/// text is dominated by a few strong words ("urgent", "broken", "thanks"), which it covers in seven languages.
/// </summary>
public sealed class SentimentAnalyzer
{
    private const double Alpha = 15;
    private const double LabelThreshold = 0.2;

    private static readonly FrozenDictionary<string, double> Valence = BuildLexicon();

    private static readonly FrozenSet<string> Negators = new[]
    {
        "not", "no", "never", "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "can't", "cannot", "won't", "without",
        "nicht", "kein", "keine", "nie", "ne", "pas", "jamais", "sans", "nunca", "sin", "não", "nem", "non", "mai", "senza", "niet", "geen", "nooit",
    }.ToFrozenSet();

    private static readonly FrozenDictionary<string, double> Intensifiers = new Dictionary<string, double>
    {
        ["very"] = 1.5, ["really"] = 1.4, ["extremely"] = 1.8, ["totally"] = 1.5, ["completely"] = 1.5, ["absolutely"] = 1.6, ["so"] = 1.3,
        ["sehr"] = 1.5, ["völlig"] = 1.5, ["très"] = 1.5, ["muy"] = 1.5, ["muito"] = 1.5, ["molto"] = 1.5, ["erg"] = 1.5, ["zeer"] = 1.5,
    }.ToFrozenDictionary();

    public (double Score, string Label) Analyze(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (0, "neutral");
        }

        var words = TextTokens.Words(text.ToLowerInvariant());
        double sum = 0;
        for (var i = 0; i < words.Count; i++)
        {
            if (!Valence.TryGetValue(words[i], out var value))
            {
                continue;
            }
            // Look back three words for a negator or intensifier: "is not really working".
            for (var back = 1; back <= 3 && i - back >= 0; back++)
            {
                var previous = words[i - back];
                if (Negators.Contains(previous))
                {
                    value *= -0.6;
                    break;
                }
                if (Intensifiers.TryGetValue(previous, out var factor))
                {
                    value *= factor;
                }
            }
            sum += value;
        }

        // Shouting is emphasis: "!!!" makes a negative text more negative.
        var exclamations = Math.Min(4, text.Count(c => c == '!'));
        if (sum != 0)
        {
            sum += Math.Sign(sum) * exclamations * 0.3;
        }

        var score = Math.Round(sum / Math.Sqrt(sum * sum + Alpha), 4);
        var label = score >= LabelThreshold ? "positive" : score <= -LabelThreshold ? "negative" : "neutral";
        return (score, label);
    }

    private static FrozenDictionary<string, double> BuildLexicon()
    {
        var lexicon = new Dictionary<string, double>(StringComparer.Ordinal);
        void Add(double value, string words)
        {
            foreach (var word in words.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                lexicon[word] = value;
            }
        }

        // English
        Add(2.5, "thanks thank great excellent awesome perfect love amazing fantastic wonderful appreciate");
        Add(1.5, "good happy glad pleased nice helpful works working resolved fixed solved fast quick easy");
        Add(-1.5, "problem issue error bug slow wrong fail fails failed failing missing cannot unable confusing annoying");
        Add(-2.5, "broken crash crashes crashed down outage unusable terrible awful horrible angry frustrated frustrating disappointed unacceptable worst hate urgent critical lost corrupted");
        Add(-3.0, "furious disaster ridiculous");
        // German
        Add(2.5, "danke vielen toll super perfekt hervorragend ausgezeichnet");
        Add(1.5, "gut funktioniert gelöst schnell hilfreich zufrieden");
        Add(-1.5, "problem fehler langsam falsch fehlgeschlagen leider");
        Add(-2.5, "kaputt abgestürzt absturz ausfall unbrauchbar schrecklich verärgert enttäuscht inakzeptabel dringend");
        // French
        Add(2.5, "merci excellent parfait génial formidable");
        Add(1.5, "bien bon fonctionne résolu rapide utile content");
        Add(-1.5, "problème erreur lent faux échec impossible malheureusement");
        Add(-2.5, "cassé panne plantage inutilisable terrible horrible furieux déçu inacceptable urgent");
        // Spanish
        Add(2.5, "gracias excelente perfecto genial fantástico");
        Add(1.5, "bien bueno funciona resuelto rápido útil contento");
        Add(-1.5, "problema error lento fallo imposible lamentablemente");
        Add(-2.5, "roto caído caída inutilizable terrible horrible furioso decepcionado inaceptable urgente");
        // Portuguese
        Add(2.5, "obrigado obrigada ótimo excelente perfeito");
        Add(1.5, "bom funciona resolvido rápido útil");
        Add(-1.5, "problema erro lento falha impossível infelizmente");
        Add(-2.5, "quebrado fora inutilizável péssimo horrível decepcionado inaceitável urgente");
        // Italian
        Add(2.5, "grazie ottimo eccellente perfetto fantastico");
        Add(1.5, "bene buono funziona risolto veloce utile");
        Add(-1.5, "problema errore lento fallito impossibile purtroppo");
        Add(-2.5, "rotto guasto inutilizzabile terribile orribile deluso inaccettabile urgente");
        // Dutch
        Add(2.5, "bedankt dank geweldig uitstekend perfect");
        Add(1.5, "goed werkt opgelost snel handig tevreden");
        Add(-1.5, "probleem fout langzaam mislukt helaas");
        Add(-2.5, "kapot storing onbruikbaar vreselijk teleurgesteld onacceptabel dringend");
        return lexicon.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
