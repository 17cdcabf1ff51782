using System.Globalization;
using System.Text;
using System.Text.Json;
using AspireTickets.Agents.Workflow;
using AspireTickets.Domain.Taxonomy;
using AspireTickets.Domain.Tickets;
using Microsoft.Extensions.Options;
using AspireTickets.Domain.Text;

namespace AspireTickets.Agents.Llm;

/// <summary>
/// Triage by the language model, validated against the schema and the taxonomy. The local triage runs first: its
/// time-to-resolve estimate is kept, and any invalid answer falls back to it with a note for the audit trail.
/// </summary>
public sealed class LlmTriageAgent(LanguageModel model, LocalTriageAgent local, IOptionsMonitor<TicketTaxonomy> taxonomy) : ITriageAgent
{
    private const int MaxRationaleLength = 500;

    public async Task<TriageOutcome> TriageAsync(WorkflowContext context, CancellationToken ct)
    {
        var fallback = await local.TriageAsync(context, ct);
        var categories = taxonomy.CurrentValue.Categories;
        var instructions =
            "You triage customer support tickets. Decide the ticket's category and priority.\n" +
            $"category must be exactly one of: {string.Join(", ", categories)}.\n" +
            "priority must be exactly one of: Low, Medium, High, Critical.\n" +
            "confidence is a number from 0 to 1. rationale is one short sentence.\n" +
            "JSON schema: {\"category\": string, \"priority\": string, \"confidence\": number, \"rationale\": string}";
        string answer;
        try
        {
            answer = await model.CompleteAsync(instructions, [("ticket", LanguageModel.TicketData(context.Ticket))], ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            context.Notes.Add($"language-model triage unavailable ({e.GetType().Name}); used local triage");
            return fallback;
        }

        var (outcome, error) = Validate(answer, fallback);
        if (outcome is null)
        {
            context.Notes.Add($"language-model triage rejected: {error}; used local triage");
            return fallback;
        }
        return outcome;
    }

    private (TriageOutcome? Outcome, string? Error) Validate(string answer, TriageOutcome fallback)
    {
        if (LanguageModel.ParseObject(answer, out var error) is not { } json)
        {
            return (null, error);
        }
        if (LanguageModel.UnexpectedProperties(json, "category", "priority", "confidence", "rationale") is { } extra)
        {
            return (null, extra);
        }
        if (!json.TryGetProperty("category", out var categoryValue) || categoryValue.ValueKind != JsonValueKind.String
            || taxonomy.CurrentValue.Normalize(categoryValue.GetString()) is not { } category)
        {
            return (null, $"category {Show(json, "category")} is not in the taxonomy");
        }
        if (!json.TryGetProperty("priority", out var priorityValue) || priorityValue.ValueKind != JsonValueKind.String
            || !EnumNames.TryParse<TicketPriority>(priorityValue.GetString(), out var priority))
        {
            return (null, $"priority {Show(json, "priority")} is not Low, Medium, High or Critical");
        }
        if (!json.TryGetProperty("confidence", out var confidenceValue) || confidenceValue.ValueKind != JsonValueKind.Number
            || confidenceValue.GetDouble() is < 0 or > 1 or double.NaN)
        {
            return (null, "confidence is not a number from 0 to 1");
        }
        var rationale = json.TryGetProperty("rationale", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() ?? "" : "";
        if (rationale.Length > MaxRationaleLength)
        {
            rationale = rationale[..MaxRationaleLength];
        }
        return (new TriageOutcome(category, priority, Math.Round(confidenceValue.GetDouble(), 3), $"language model: {rationale}",
            fallback.EstimatedTimeToResolve, model.ModelId), null);
    }

    private static string Show(JsonElement json, string property) =>
        json.TryGetProperty(property, out var value) ? $"'{Truncate(value.ToString())}'" : "(missing)";

    internal static string Truncate(string value) => value.Length <= 60 ? value : value[..60] + "…";
}

/// <summary>
/// Resolution by the language model from the same retrieved sources the extractive resolver uses. The model may only
/// phrase steps and must cite the numbered sources for each; a step citing nothing or an unknown source, or an answer
/// outside the schema, discards the answer for the extractive suggestion (with a note).
/// </summary>
public sealed class LlmResolutionAgent(LanguageModel model, LocalResolutionAgent local) : IResolutionAgent
{
    private const int MaxSteps = 8;
    private const int MaxStepLength = 500;

    public async Task<SuggestedResolution?> SuggestAsync(WorkflowContext context, CancellationToken ct)
    {
        var extractive = await local.SuggestAsync(context, ct);
        if (extractive is null)
        {
            return null; // nothing to ground an answer in: the model would have to invent one
        }
        var sources = extractive.Citations;
        var instructions =
            "You help a support agent resolve a ticket. Write up to 8 short, professional steps that resolve it, using ONLY the " +
            "numbered sources. Every step must list the numbers of the sources it relies on. Do not include personal data.\n" +
            "JSON schema: {\"steps\": [{\"text\": string, \"sources\": [number]}]}";
        var sourceData = string.Join("\n", sources.Select((c, i) => $"[{i + 1}] ({c.Kind} {c.SourceId}{(c.Section is null ? "" : $", {c.Section}")}) {c.Excerpt}"));
        string answer;
        try
        {
            answer = await model.CompleteAsync(instructions, [("ticket", LanguageModel.TicketData(context.Ticket)), ("sources", sourceData)], ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            context.Notes.Add($"language-model resolution unavailable ({e.GetType().Name}); used the extractive suggestion");
            return extractive;
        }

        var (suggestion, error) = Validate(answer, sources);
        if (suggestion is null)
        {
            context.Notes.Add($"language-model resolution rejected: {error}; used the extractive suggestion");
            return extractive;
        }
        context.ResolutionModel = model.ModelId;
        return suggestion;
    }

    private static (SuggestedResolution? Suggestion, string? Error) Validate(string answer, IReadOnlyList<Citation> sources)
    {
        if (LanguageModel.ParseObject(answer, out var error) is not { } json)
        {
            return (null, error);
        }
        if (LanguageModel.UnexpectedProperties(json, "steps") is { } extra)
        {
            return (null, extra);
        }
        if (!json.TryGetProperty("steps", out var steps) || steps.ValueKind != JsonValueKind.Array || steps.GetArrayLength() is 0 or > MaxSteps)
        {
            return (null, $"steps must be an array of 1 to {MaxSteps} items");
        }

        var used = new List<int>();
        var text = new StringBuilder("Suggested steps:\n");
        var number = 0;
        foreach (var step in steps.EnumerateArray())
        {
            number++;
            if (step.ValueKind != JsonValueKind.Object || LanguageModel.UnexpectedProperties(step, "text", "sources") is not null)
            {
                return (null, $"step {number} is not {{text, sources}}");
            }
            if (!step.TryGetProperty("text", out var stepText) || stepText.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(stepText.GetString()) || stepText.GetString()!.Length > MaxStepLength)
            {
                return (null, $"step {number} has no text or too long a text");
            }
            if (!step.TryGetProperty("sources", out var cited) || cited.ValueKind != JsonValueKind.Array || cited.GetArrayLength() == 0)
            {
                return (null, $"step {number} cites no source");
            }
            var markers = new List<int>();
            foreach (var source in cited.EnumerateArray())
            {
                if (source.ValueKind != JsonValueKind.Number || !source.TryGetInt32(out var n) || n < 1 || n > sources.Count)
                {
                    return (null, $"step {number} cites a source that was not given ({LlmTriageAgent.Truncate(source.ToString())})");
                }
                if (!used.Contains(n))
                {
                    used.Add(n);
                }
                markers.Add(used.IndexOf(n) + 1);
            }
            var line = stepText.GetString()!.Replace('\n', ' ').Trim();
            text.Append(CultureInfo.InvariantCulture, $"{number}. {line} {string.Join(" ", markers.Distinct().Select(m => $"[{m}]"))}\n");
        }
        return (new SuggestedResolution { Text = text.ToString().TrimEnd(), Citations = [.. used.Select(n => sources[n - 1])] }, null);
    }
}

/// <summary>
/// Quality by the local checks first (citations, relevance, steps, PII, tone are facts a model must not overrule);
/// when they pass, the language model may still flag the suggestion, with its reasons. An invalid answer leaves the
/// local verdict (with a note).
/// </summary>
public sealed class LlmQualityAgent(LanguageModel model, LocalQualityAgent local) : IQualityAgent
{
    private const int MaxReasons = 5;

    public async Task<QualityVerdict> CheckAsync(WorkflowContext context, SuggestedResolution suggestion, CancellationToken ct)
    {
        var verdict = await local.CheckAsync(context, suggestion, ct);
        if (!verdict.Passed)
        {
            return verdict;
        }
        var instructions =
            "You review a suggested resolution for a support ticket before an agent sees it. It passes only if it addresses " +
            "the ticket's problem, is actionable, and is professional. Give short reasons.\n" +
            "JSON schema: {\"passed\": boolean, \"reasons\": [string]}";
        string answer;
        try
        {
            answer = await model.CompleteAsync(instructions, [("ticket", LanguageModel.TicketData(context.Ticket)), ("suggestion", suggestion.Text)], ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            context.Notes.Add($"language-model quality review unavailable ({e.GetType().Name}); used the local checks");
            return verdict;
        }

        if (LanguageModel.ParseObject(answer, out var error) is not { } json)
        {
            context.Notes.Add($"language-model quality review rejected: {error}; used the local checks");
            return verdict;
        }
        if (LanguageModel.UnexpectedProperties(json, "passed", "reasons") is { } extra
            || !json.TryGetProperty("passed", out var passed) || passed.ValueKind is not (JsonValueKind.True or JsonValueKind.False)
            || !json.TryGetProperty("reasons", out var reasons) || reasons.ValueKind != JsonValueKind.Array
            || reasons.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String))
        {
            context.Notes.Add("language-model quality review rejected: the answer does not match {passed, reasons}; used the local checks");
            return verdict;
        }
        var modelReasons = reasons.EnumerateArray().Select(r => LlmTriageAgent.Truncate(r.GetString()!)).Take(MaxReasons).ToList();
        if (passed.GetBoolean())
        {
            verdict.Reasons.AddRange(modelReasons.Select(r => $"language model: {r}"));
            return verdict;
        }
        return new QualityVerdict
        {
            Passed = false,
            Score = Math.Round(verdict.Score * 0.8, 2),
            Reasons = ["language model flagged it", .. modelReasons.Select(r => $"language model: {r}")],
        };
    }
}
