using System.Globalization;
using System.Numerics.Tensors;
using System.Text;
using AspireTickets.Agents.KnowledgeBase;
using AspireTickets.Agents.Similarity;
using AspireTickets.Agents.Workflow;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Agents.Resolution;

/// <summary>A candidate passage: its source, how well it fits the ticket, and the citation it would carry.</summary>
internal sealed record ScoredPassage(Passage Passage, Citation Citation, double Score, float[] Vector);

/// <summary>
/// Builds a suggestion without a language model: retrieves similar resolved tickets (their answers) and
/// knowledge-base sections, scores every step/sentence of them against the ticket, and stitches the best ones
/// into numbered steps, each followed by its citation marker <c>[n]</c>. Nothing is written that no source says.
/// </summary>
public sealed partial class ExtractiveResolver(TicketSimilarityIndex tickets, KnowledgeBase.KnowledgeBase knowledge, Microsoft.Extensions.Options.IOptionsMonitor<AgentsOptions> options)
{
    // A passage's score mixes its own fit to the ticket with how similar its whole source is; actionable steps get a
    // bonus because a suggestion is meant to be done, not read.
    private const double PassageWeight = 0.55;
    private const double SourceWeight = 0.45;
    private const double StepBonus = 0.08;

    // Two passages this similar say the same thing; the second adds nothing.
    private const float RedundancyCosine = 0.85f;

    /// <param name="similar">The ticket's nearest tickets when already searched (the workflow shares one search).</param>
    public ResolutionResult Suggest(Ticket ticket, IReadOnlyList<SimilarEntry<IndexedTicket>>? similar = null)
    {
        var settings = options.CurrentValue.Resolution;
        var query = $"{ticket.Title}\n{ticket.Description}";
        var queryVector = tickets.Embed(query);
        var candidates = new List<ScoredPassage>();
        var sources = new List<string>();

        static bool Usable(IndexedTicket t) => t.IsResolved && t.DuplicateOf is null;
        var similarResolved = similar is not null
            ? similar.Where(s => Usable(s.Entry) && s.Entry.Id != ticket.Id).Take(settings.Sources).ToList()
            : tickets.FindSimilar(ticket.Title, ticket.Description, settings.Sources, exclude: ticket.Id, where: Usable);
        foreach (var source in similarResolved.Where(s => s.Dense >= settings.MinSourceSimilarity || s.Lexical >= settings.MinSourceSimilarity))
        {
            sources.Add($"ticket {source.Entry.Id} ({Similarity(source)})");
            foreach (var passage in source.Entry.Resolution.SelectMany(PassageSplitter.Split))
            {
                candidates.Add(Score(passage, queryVector, SourceStrength(source), new Citation(CitationKind.Ticket, source.Entry.Id.ToString(), source.Entry.Title, passage.Text)));
            }
        }

        var sections = knowledge.Search(ticket.Title, ticket.Description, settings.Sources);
        foreach (var source in sections.Where(s => s.Dense >= settings.MinSourceSimilarity || s.Lexical >= settings.MinSourceSimilarity))
        {
            sources.Add($"article {source.Entry.ArticleId} § {source.Entry.Section} ({Similarity(source)})");
            foreach (var passage in PassageSplitter.Split(source.Entry.Text))
            {
                candidates.Add(Score(passage, queryVector, SourceStrength(source), new Citation(CitationKind.Article, source.Entry.ArticleId.ToString(), source.Entry.Section, passage.Text)));
            }
        }

        var chosen = new List<ScoredPassage>();
        foreach (var candidate in candidates.OrderByDescending(c => c.Score))
        {
            if (chosen.Count == settings.Passages)
            {
                break;
            }
            if (chosen.Any(c => TensorPrimitives.Dot(c.Vector, candidate.Vector) >= RedundancyCosine))
            {
                continue;
            }
            chosen.Add(candidate);
        }

        if (chosen.Count == 0)
        {
            return new ResolutionResult(null, sources, "no similar resolved ticket or knowledge-base section found");
        }

        // Steps first (in the order of their scores), then explanatory sentences.
        var ordered = chosen.OrderByDescending(c => c.Passage.IsStep).ThenByDescending(c => c.Score).ToList();
        var text = new StringBuilder("Suggested steps, from similar resolved tickets and the knowledge base:\n");
        var citations = new List<Citation>();
        for (var i = 0; i < ordered.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i + 1}. {ordered[i].Passage.Text} [{i + 1}]\n");
            citations.Add(ordered[i].Citation with { Excerpt = Excerpt(ordered[i].Passage.Text) });
        }
        var suggestion = new SuggestedResolution { Text = text.ToString().TrimEnd(), Citations = citations };
        return new ResolutionResult(suggestion, sources, $"{citations.Count} passages from {citations.Select(c => c.SourceId).Distinct().Count()} sources");
    }

    /// <summary>
    /// How well a suggestion relates to the ticket: the cosine (local embedding) of the ticket and the suggestion's steps,
    /// taken together or, if higher, the best single step. Headers and citation markers are left out: they are the same
    /// in every suggestion and only add noise.
    /// </summary>
    public double Relevance(Ticket ticket, string text)
    {
        var query = tickets.Embed($"{ticket.Title}\n{ticket.Description}");
        var steps = text.Split('\n')
            .Select(l => StepLine().Match(l))
            .Where(m => m.Success)
            .Select(m => Marker().Replace(m.Groups["text"].Value, "").Trim())
            .Where(s => s.Length > 0)
            .ToList();
        if (steps.Count == 0)
        {
            return TensorPrimitives.Dot(query, tickets.Embed(Marker().Replace(text, "")));
        }
        var best = (double)TensorPrimitives.Dot(query, tickets.Embed(string.Join("\n", steps)));
        foreach (var step in steps)
        {
            best = Math.Max(best, TensorPrimitives.Dot(query, tickets.Embed(step)));
        }
        return best;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*(\d+[.)]|[-*•])\s+(?<text>.+)$")]
    private static partial System.Text.RegularExpressions.Regex StepLine();

    [System.Text.RegularExpressions.GeneratedRegex(@"\[\d+\]")]
    private static partial System.Text.RegularExpressions.Regex Marker();

    private ScoredPassage Score(Passage passage, float[] queryVector, double sourceStrength, Citation citation)
    {
        var vector = EmbedPassage(passage.Text);
        var fit = Math.Max(0, TensorPrimitives.Dot(queryVector, vector));
        var score = (PassageWeight * fit) + (SourceWeight * sourceStrength) + (passage.IsStep ? StepBonus : 0);
        return new ScoredPassage(passage, citation, score, vector);
    }

    // The same answers are quoted for many similar tickets, so their passages' vectors are kept (bounded; a vector made
    // under slightly older IDF statistics ranks passages just as well).
    private const int PassageCacheLimit = 50_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, float[]> _passageVectors = new(StringComparer.Ordinal);

    private float[] EmbedPassage(string text)
    {
        if (_passageVectors.TryGetValue(text, out var cached))
        {
            return cached;
        }
        if (_passageVectors.Count >= PassageCacheLimit)
        {
            _passageVectors.Clear();
        }
        return _passageVectors[text] = tickets.Embed(text);
    }

    private static double SourceStrength<T>(SimilarEntry<T> source) => Math.Max(source.Dense, source.Lexical);

    private static string Similarity<T>(SimilarEntry<T> source) =>
        string.Create(CultureInfo.InvariantCulture, $"dense {source.Dense:0.00}, lexical {source.Lexical:0.00}");

    private static string Excerpt(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

/// <summary>The suggestion (null when nothing similar is known) and which sources were considered.</summary>
public sealed record ResolutionResult(SuggestedResolution? Suggestion, IReadOnlyList<string> Sources, string Summary);
