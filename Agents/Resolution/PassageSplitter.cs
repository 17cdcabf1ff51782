using System.Text.RegularExpressions;

namespace AspireTickets.Agents.Resolution;

/// <summary>
/// Splits an answer or article section into passages a suggestion can quote: each list item (a step) on its own,
/// other text sentence by sentence. Greetings and sign-offs carry no resolution and are dropped.
/// </summary>
public static partial class PassageSplitter
{
    public const int MinLength = 12;
    public const int MaxLength = 400;

    public static IReadOnlyList<Passage> Split(string? text)
    {
        var passages = new List<Passage>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return passages;
        }
        var inFence = false;
        foreach (var rawLine in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }
            if (inFence || line.Length == 0)
            {
                continue;
            }
            var item = ListItem().Match(line);
            if (item.Success)
            {
                Add(passages, item.Groups["text"].Value, isStep: true);
                continue;
            }
            foreach (var sentence in Sentence().Split(line))
            {
                Add(passages, sentence, isStep: false);
            }
        }
        return passages;
    }

    private static void Add(List<Passage> passages, string text, bool isStep)
    {
        text = text.Trim();
        if (text.Length < MinLength || Courtesy().IsMatch(text))
        {
            return;
        }
        if (text.Length > MaxLength)
        {
            text = text[..MaxLength].TrimEnd() + "…";
        }
        passages.Add(new Passage(text, isStep || ActionStart().IsMatch(text)));
    }

    [GeneratedRegex(@"^(\d+[.)]|[-*+•])\s+(?<text>.+)$")]
    private static partial Regex ListItem();

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[A-Z0-9""'(])")]
    private static partial Regex Sentence();

    [GeneratedRegex(@"^(hi|hello|dear|thanks|thank you|best regards|regards|cheers|kind regards|we are looking into|sorry for)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Courtesy();

    // An imperative opening ("Restart the agent", "Clear the cache") marks an actionable step.
    [GeneratedRegex(@"^(please\s+)?(check|clear|restart|reset|update|upgrade|install|reinstall|remove|delete|open|go to|navigate|click|select|enable|disable|set|change|run|try|verify|confirm|ensure|make sure|sign|log|add|use|contact|rotate|renew|re-?enter|reconnect|disconnect|wait|flush|reboot|configure|grant|assign|apply|download|upload|switch|turn)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ActionStart();
}

public sealed record Passage(string Text, bool IsStep);
