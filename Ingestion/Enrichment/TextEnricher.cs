using AspireTickets.Domain.Tickets;

namespace AspireTickets.Ingestion.Enrichment;

/// <summary>Everything ingestion learns from a ticket's text, in one <see cref="TextInsights"/>.</summary>
public sealed class TextEnricher(LanguageDetector language, SentimentAnalyzer sentiment, KeywordExtractor keywords, EntityExtractor entities, PiiMasker masker)
{
    public TextInsights Enrich(string title, string description, IEnumerable<TextEntity>? sourceEntities = null)
    {
        var text = string.IsNullOrEmpty(description) ? title : $"{title}\n\n{description}";
        var (score, label) = sentiment.Analyze(text);
        var found = entities.Extract(text).ToList();
        foreach (var entity in sourceEntities ?? [])
        {
            if (!found.Contains(entity))
            {
                found.Add(entity);
            }
        }
        return new TextInsights
        {
            Language = language.Detect(text),
            Sentiment = score,
            SentimentLabel = label,
            Keywords = [.. keywords.Extract(title, description)],
            Entities = found,
            MaskedText = masker.Mask(text),
        };
    }
}
