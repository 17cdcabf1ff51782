using System.Text.RegularExpressions;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Agents.Intelligence.Triage;

/// <summary>One keyword rule: if the pattern matches, it votes for a category and/or a priority.</summary>
public sealed record TriageRule(string Name, Regex Pattern, string? Category, TicketPriority? Priority);

/// <summary>What the rules concluded and why (the names of the rules that fired).</summary>
public sealed record RuleVerdict(string? Category, TicketPriority? Priority, double Confidence, IReadOnlyList<string> FiredRules);

/// <summary>
/// Transparent keyword rules for the time before enough labelled history exists to train a model.
/// Every conclusion names the rules that fired, and confidence stays low (≤ 0.5) so that people, and the
/// workflow's thresholds, treat it as a hint. Categories outside the configured taxonomy are never emitted.
/// </summary>
public static partial class TriageRules
{
    /// <summary>Ceiling for rule confidence: a keyword is a hint, never a verdict.</summary>
    public const double MaxConfidence = 0.5;

    // Order matters for priority: the most urgent matching rule wins. For the category, the category with
    // the most matching rules wins, ties going to the rule listed first (the more specific one).
    public static readonly IReadOnlyList<TriageRule> Rules =
    [
        new("outage", Outage(), "incident", TicketPriority.Critical),
        new("data-loss", DataLoss(), "bug", TicketPriority.Critical),
        new("security", Security(), "security", TicketPriority.Critical),
        new("cannot-log-in", CannotLogIn(), "account", TicketPriority.High),
        new("billing", Billing(), "billing", TicketPriority.Medium),
        new("crash", Crash(), "bug", TicketPriority.High),
        new("performance", Performance(), "performance", TicketPriority.Medium),
        new("error", Error(), "bug", TicketPriority.Medium),
        new("feature-request", FeatureRequest(), "feature", TicketPriority.Low),
        new("question", Question(), "question", TicketPriority.Low),
    ];

    public static RuleVerdict Apply(string? title, string? body, IReadOnlyCollection<string> categories)
    {
        ArgumentNullException.ThrowIfNull(categories);
        var text = $"{title}\n{body}";
        var fired = Rules.Where(r => r.Pattern.IsMatch(text)).ToList();
        if (fired.Count == 0)
        {
            return new RuleVerdict(null, null, 0, []);
        }

        var allowed = new HashSet<string>(categories, StringComparer.OrdinalIgnoreCase);
        var category = fired
            .Where(r => r.Category is not null && allowed.Contains(r.Category))
            .GroupBy(r => r.Category!, StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => fired.IndexOf(g.First()))
            .Select(g => categories.First(c => string.Equals(c, g.Key, StringComparison.OrdinalIgnoreCase)))
            .FirstOrDefault();
        var priority = fired.Where(r => r.Priority is not null).Select(r => r.Priority).Max();
        // 0.3 for one rule, a little more when several agree, never above MaxConfidence.
        var confidence = Math.Min(MaxConfidence, 0.3 + (0.1 * (fired.Count - 1)));
        return new RuleVerdict(category, priority, confidence, [.. fired.Select(r => r.Name)]);
    }

    [GeneratedRegex(@"\b(outage|is down|are down|went down|service unavailable|site unavailable|not reachable|unreachable|production down|all users)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Outage();

    [GeneratedRegex(@"\b(data loss|lost (all |my |our )?(data|files|work)|deleted (all|everything)|corrupt(ed|ion)?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DataLoss();

    [GeneratedRegex(@"\b(security|vulnerab\w*|exploit|xss|csrf|sql injection|breach|phishing|malware|cve-\d+|leak(ed)? (credentials|passwords?|tokens?))\b", RegexOptions.IgnoreCase)]
    private static partial Regex Security();

    [GeneratedRegex(@"\b(can ?not|can't|cannot|unable to|not able to) (log ?in|sign ?in|access my account)\b|\b(locked out|password reset|reset (my )?password|2fa|two-factor)\b", RegexOptions.IgnoreCase)]
    private static partial Regex CannotLogIn();

    [GeneratedRegex(@"\b(invoice|refund|charged|overcharged|billing|payment|subscription|credit card)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Billing();

    [GeneratedRegex(@"\b(crash(es|ed|ing)?|segfault|segmentation fault|hangs|freez(es|ing))\b", RegexOptions.IgnoreCase)]
    private static partial Regex Crash();

    [GeneratedRegex(@"\b(slow(ly|ness)?|latency|timeouts?|timed out|takes forever|high cpu|memory leak|performance)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Performance();

    [GeneratedRegex(@"\b(error|exception|fails?|failed|failing|broken|does ?n[o']t work|not working|bug)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Error();

    [GeneratedRegex(@"\b(feature request|would be (nice|great|useful)|please add|add support|support for|enhancement|it would be)\b", RegexOptions.IgnoreCase)]
    private static partial Regex FeatureRequest();

    [GeneratedRegex(@"\b(how (do|can|to|should)|is it possible|is there a way|what is the|why does)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Question();
}
