using System.Globalization;
using System.Text.RegularExpressions;
using AspireTickets.Agents.Workflow;
using AspireTickets.Domain.Privacy;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Agents.Quality;

/// <summary>
/// Checks a suggestion before anyone sees it: it cites its sources (and every marker points at a citation), it
/// relates to the ticket (embedding similarity above a floor), it contains steps, it leaks no PII or secrets, and
/// it reads professionally (no profanity, no shouting). All checks must pass; the reasons say which did not.
/// </summary>
public sealed partial class SuggestionQualityChecker(Microsoft.Extensions.Options.IOptionsMonitor<AgentsOptions> options)
{
    public const int CheckCount = 5;

    /// <param name="relevance">Cosine similarity of ticket and suggestion (computed by the caller's embedder).</param>
    public QualityVerdict Check(SuggestedResolution suggestion, double relevance)
    {
        ArgumentNullException.ThrowIfNull(suggestion);
        var failures = new List<string>();
        var passes = new List<string>();

        // Grounded: at least one citation, and every [n] in the text names one of them.
        var markers = CitationMarker().Matches(suggestion.Text).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        if (suggestion.Citations.Count == 0)
        {
            failures.Add("cites no source");
        }
        else if (markers.Any(m => m < 1 || m > suggestion.Citations.Count))
        {
            failures.Add("cites a source that is not in its citations");
        }
        else if (markers.Count == 0)
        {
            failures.Add("does not say which statement comes from which source");
        }
        else if (suggestion.Citations.Any(c => string.IsNullOrWhiteSpace(c.SourceId) || string.IsNullOrWhiteSpace(c.Excerpt)))
        {
            failures.Add("has a citation without source id or excerpt");
        }
        else
        {
            passes.Add($"cites {suggestion.Citations.Count} source passage(s)");
        }

        var floor = options.CurrentValue.Quality.RelevanceFloor;
        if (relevance < floor)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"does not relate to the ticket (similarity {relevance:0.00} < {floor:0.00})"));
        }
        else
        {
            passes.Add(string.Create(CultureInfo.InvariantCulture, $"relates to the ticket (similarity {relevance:0.00})"));
        }

        var steps = StepLine().Matches(suggestion.Text).Count;
        if (steps == 0)
        {
            failures.Add("contains no steps");
        }
        else
        {
            passes.Add($"contains {steps} step(s)");
        }

        var pii = PiiDetector.Find(suggestion.Text)
            .Concat(suggestion.Citations.SelectMany(c => PiiDetector.Find(c.Excerpt)))
            .Select(f => f.Kind)
            .Distinct()
            .ToList();
        if (pii.Count > 0)
        {
            failures.Add($"leaks personal data or secrets ({string.Join(", ", pii)})");
        }
        else
        {
            passes.Add("leaks no personal data");
        }

        var tone = ToneProblems(suggestion.Text);
        if (tone.Count > 0)
        {
            failures.AddRange(tone);
        }
        else
        {
            passes.Add("reads professionally");
        }

        return new QualityVerdict
        {
            Passed = failures.Count == 0,
            Score = Math.Round((double)passes.Count / CheckCount, 2),
            Reasons = failures.Count == 0 ? passes : failures,
        };
    }

    private static List<string> ToneProblems(string text)
    {
        var problems = new List<string>();
        if (Profanity().Match(text) is { Success: true } word)
        {
            problems.Add($"unprofessional language (\"{word.Value}\")");
        }
        // Shouting: a line of real words mostly in capitals, or stacked exclamation marks.
        foreach (var line in text.Split('\n'))
        {
            var letters = line.Where(char.IsLetter).ToList();
            if (letters.Count >= 12 && letters.Count(char.IsUpper) > letters.Count * 0.6)
            {
                problems.Add("shouts (a line mostly in capitals)");
                break;
            }
        }
        if (text.Contains("!!", StringComparison.Ordinal))
        {
            problems.Add("shouts (repeated exclamation marks)");
        }
        return problems;
    }

    [GeneratedRegex(@"\[(\d+)\]")]
    private static partial Regex CitationMarker();

    [GeneratedRegex(@"^\s*(\d+[.)]|[-*•])\s+\S", RegexOptions.Multiline)]
    private static partial Regex StepLine();

    [GeneratedRegex(@"\b(fuck\w*|shit\w*|damn\w*|crap\w*|bullshit|idiot\w*|stupid|dumb\w*|moron\w*|wtf|bastard\w*|asshole\w*|hell no|screw (you|it))\b", RegexOptions.IgnoreCase)]
    private static partial Regex Profanity();
}
