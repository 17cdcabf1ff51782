using AspireTickets.Agents.Evaluation;
using AspireTickets.Agents.Intelligence.Triage;
using AspireTickets.Domain.Taxonomy;

namespace AspireTickets.Agents.Models;

/// <summary>
/// How a retrained model is judged before it is used: on the most recent history it was not trained on, against the
/// model in use, by macro-F1 (every category counts alike, so a model cannot win by always answering the common one).
/// </summary>
public static class TriageModelEvaluation
{
    /// <summary>
    /// The newest <paramref name="heldOutShare"/> of the history (given newest first) is held out, the rest trained on:
    /// a model is then tested on tickets that came after everything it learned from, as it will be in use.
    /// </summary>
    public static (List<TriageExample> Training, List<TriageExample> HeldOut) SplitByTime(IReadOnlyList<TriageExample> newestFirst, double heldOutShare)
    {
        var heldOut = (int)Math.Clamp(Math.Round(newestFirst.Count * heldOutShare), 1, Math.Max(1, newestFirst.Count - 1));
        return ([.. newestFirst.Skip(heldOut)], [.. newestFirst.Take(heldOut)]);
    }

    /// <summary>Scores a model (null: the keyword rules alone) on held-out examples with the given taxonomy.</summary>
    public static TriageScores Score(TicketTriage? model, TicketTaxonomy taxonomy, IReadOnlyList<TriageExample> heldOut)
    {
        var triage = model is null ? new TicketTriage(taxonomy) : new TicketTriage(taxonomy, model.CategoryModel, model.PriorityModel);
        var categoryGold = new List<string>();
        var categoryPredicted = new List<string>();
        var priorityGold = new List<string>();
        var priorityPredicted = new List<string>();
        var verdicts = triage.TriageMany([.. heldOut.Select(e => (e.Title, e.Body))]);
        foreach (var (example, verdict) in heldOut.Zip(verdicts))
        {
            if (taxonomy.Normalize(example.Category) is { } category)
            {
                categoryGold.Add(category);
                categoryPredicted.Add(verdict.Category ?? "");
            }
            if (example.Priority is { } priority)
            {
                priorityGold.Add(priority.ToString());
                priorityPredicted.Add(verdict.Priority?.ToString() ?? "");
            }
        }
        return new TriageScores(MacroF1(categoryGold, categoryPredicted), MacroF1(priorityGold, priorityPredicted));
    }

    private static double? MacroF1(List<string> gold, List<string> predicted) =>
        gold.Count == 0 ? null : Math.Round(TriageEvaluation.MacroF1(gold, predicted, [.. gold.Distinct().Order(StringComparer.Ordinal)]), 4);
}
