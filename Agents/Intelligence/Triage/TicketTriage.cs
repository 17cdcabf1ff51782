using AspireTickets.Agents.Intelligence.Text;
using AspireTickets.Domain.Taxonomy;
using AspireTickets.Domain.Tickets;
using AspireTickets.Domain.Text;

namespace AspireTickets.Agents.Intelligence.Triage;

/// <summary>A resolved ticket from history: its text and what people finally decided.</summary>
public sealed record TriageExample(string Title, string? Body, string? Category, TicketPriority? Priority);

public sealed record TriageOptions
{
    /// <summary>A model is trained only when at least two labels each have this many examples; before
    /// that the keyword rules answer.</summary>
    public int MinimumExamplesPerLabel { get; init; } = 20;

    public TextClassifierOptions Classifier { get; init; } = new();
}

public sealed record TriageVerdict(
    string? Category,
    double CategoryConfidence,
    TicketPriority? Priority,
    double PriorityConfidence,
    string Source,
    string Rationale);

/// <summary>
/// Category and priority for a ticket: trained classifiers once the history allows, keyword rules before.
/// Whatever the model learned, only categories of the current taxonomy come out: probabilities of labels
/// the taxonomy no longer has are dropped and the rest renormalized.
/// </summary>
public sealed class TicketTriage
{
    private const int FormatVersion = 1;

    public TicketTriage(TicketTaxonomy taxonomy, TextClassifier? categoryModel = null, TextClassifier? priorityModel = null)
    {
        Taxonomy = taxonomy ?? throw new ArgumentNullException(nameof(taxonomy));
        CategoryModel = categoryModel;
        PriorityModel = priorityModel;
    }

    public TicketTaxonomy Taxonomy { get; }

    public TextClassifier? CategoryModel { get; }

    public TextClassifier? PriorityModel { get; }

    /// <param name="encoder">A sentence encoder whose vectors the models read beside the n-grams (see <see cref="TextClassifier"/>).</param>
    /// <param name="ct">Stops training with an encoder, whose encoding of a large history takes minutes.</param>
    public static TicketTriage Train(IEnumerable<TriageExample> history, TicketTaxonomy taxonomy, TriageOptions? options = null, ITextEncoder? encoder = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(taxonomy);
        options ??= new TriageOptions();
        var examples = history.ToList();

        var categorized = examples
            .Select(e => (e, Category: taxonomy.Normalize(e.Category)))
            .Where(x => x.Category is not null)
            .Select(x => new LabelledText(x.e.Title, x.e.Body, x.Category!))
            .ToList();
        var prioritized = examples
            .Where(e => e.Priority is not null)
            .Select(e => new LabelledText(e.Title, e.Body, e.Priority!.Value.ToString()))
            .ToList();

        return new TicketTriage(
            taxonomy,
            Enough(categorized, options) ? TextClassifier.Train(categorized, taxonomy.Categories, options.Classifier, encoder, ct) : null,
            Enough(prioritized, options) ? TextClassifier.Train(prioritized, Enum.GetNames<TicketPriority>(), options.Classifier, encoder, ct) : null);
    }

    public TriageVerdict Triage(string title, string? body) =>
        Decide(title, body, CategoryModel?.Predict(title, body), PriorityModel?.Predict(title, body));

    /// <summary>Many tickets at once, as <see cref="Triage"/> would answer each: every model reads them in one pass (with
    /// a sentence encoder, one length-sorted encoding instead of one transformer call per ticket).</summary>
    public IReadOnlyList<TriageVerdict> TriageMany(IReadOnlyList<(string Title, string? Body)> tickets)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        var categories = CategoryModel?.PredictMany(tickets);
        var priorities = PriorityModel?.PredictMany(tickets);
        return [.. tickets.Select((t, i) => Decide(t.Title, t.Body, categories?[i], priorities?[i]))];
    }

    private TriageVerdict Decide(string title, string? body, ClassPrediction? categoryPrediction, ClassPrediction? priorityPrediction)
    {
        var rules = TriageRules.Apply(title, body, Taxonomy.Categories);
        var reasons = new List<string>();
        string? category = rules.Category;
        var categoryConfidence = rules.Category is null ? 0 : rules.Confidence;
        var usedModel = false;
        if (categoryPrediction is not null && AllowedBest(categoryPrediction, Taxonomy.Normalize) is { } predicted)
        {
            (category, categoryConfidence) = predicted;
            usedModel = true;
            reasons.Add($"category model: {category} p={categoryConfidence:0.00}");
        }

        TicketPriority? priority = rules.Priority;
        var priorityConfidence = rules.Priority is null ? 0 : rules.Confidence;
        if (priorityPrediction is not null
            && AllowedBest(priorityPrediction, l => EnumNames.TryParse<TicketPriority>(l, out _) ? l : null) is { } predictedPriority)
        {
            priority = Enum.Parse<TicketPriority>(predictedPriority.Label);
            priorityConfidence = predictedPriority.Confidence;
            usedModel = true;
            reasons.Add($"priority model: {priority} p={priorityConfidence:0.00}");
        }

        if (rules.FiredRules.Count > 0)
        {
            reasons.Add($"keyword rules: {string.Join(", ", rules.FiredRules)}");
        }

        return new TriageVerdict(
            category,
            categoryConfidence,
            priority,
            priorityConfidence,
            usedModel ? "model" : "rules",
            reasons.Count == 0 ? "no model yet and no keyword rule matched" : string.Join("; ", reasons));
    }

    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            writer.Write(CategoryModel is not null);
            writer.Write(PriorityModel is not null);
        }

        CategoryModel?.Save(stream);
        PriorityModel?.Save(stream);
    }

    /// <param name="encoder">The sentence encoder, for models trained with one (they cannot be loaded without it).</param>
    public static TicketTriage Load(Stream stream, TicketTaxonomy taxonomy, ITextEncoder? encoder = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        bool hasCategory, hasPriority;
        using (var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            var version = reader.ReadInt32();
            if (version != FormatVersion)
            {
                throw new InvalidDataException($"Triage model format {version} is not supported (expected {FormatVersion}).");
            }

            hasCategory = reader.ReadBoolean();
            hasPriority = reader.ReadBoolean();
        }

        var category = hasCategory ? TextClassifier.Load(stream, encoder) : null;
        var priority = hasPriority ? TextClassifier.Load(stream, encoder) : null;
        return new TicketTriage(taxonomy, category, priority);
    }

    /// <summary>The most probable label that is still allowed, with its probability renormalized over the
    /// allowed labels; null when the model knows no allowed label.</summary>
    private static (string Label, double Confidence)? AllowedBest(ClassPrediction prediction, Func<string, string?> allow)
    {
        var allowed = prediction.Probabilities
            .Select(p => (Label: allow(p.Key), p.Value))
            .Where(p => p.Label is not null)
            .ToList();
        var total = allowed.Sum(p => p.Value);
        if (allowed.Count == 0 || total <= 0)
        {
            return null;
        }

        var best = allowed.MaxBy(p => p.Value);
        return (best.Label!, best.Value / total);
    }

    private static bool Enough(List<LabelledText> examples, TriageOptions options) =>
        examples.GroupBy(e => e.Label).Count(g => g.Count() >= options.MinimumExamplesPerLabel) >= 2;
}
