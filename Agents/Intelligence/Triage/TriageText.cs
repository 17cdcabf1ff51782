using System.Text;
using System.Text.RegularExpressions;

namespace AspireTickets.Agents.Intelligence.Triage;

/// <summary>
/// Normalizes a ticket's title and body for the text classifier and measures its structure. The model's
/// word and character n-grams see the normalized text; the structure becomes a handful of numeric
/// features. All of it is a fixed function of one ticket, so nothing here can leak between folds.
/// </summary>
public static partial class TriageText
{
    /// <summary>Body text beyond this is dropped: templates and the problem statement come first, and
    /// 100 KB log dumps would only slow training down.</summary>
    public const int DefaultMaxBodyLength = 6000;

    public const int StructureFeatureCount = 20;

    public static readonly string[] StructureFeatureNames =
    [
        "title_question_mark", "title_question_word", "title_how", "title_feature_word", "title_bug_word",
        "body_question_marks", "body_code_blocks", "body_stack_trace", "body_error_word", "body_version_strings",
        "body_headings", "body_checkboxes", "body_images", "body_length", "body_empty",
        "body_expected_actual", "body_steps", "body_proposal", "body_would_be", "body_how_do_i",
    ];

    public static string NormalizeTitle(string? title)
    {
        var text = Normalize(title ?? "");
        return text;
    }

    public static string NormalizeBody(string? body, int maxLength = DefaultMaxBodyLength)
    {
        var text = body ?? "";
        // Fenced code keeps a marker and its first line (often the language or the failing call), not the
        // whole paste: the *shape* says "here is code", the content is mostly noise for the category.
        text = FencedCode().Replace(text, m => " codeblock " + FirstLine(m.Groups[1].Value) + " ");
        text = StackFrame().Replace(text, " stackframe ");
        if (text.Length > maxLength)
        {
            text = text[..maxLength];
        }

        return Normalize(text);
    }

    public static float[] Structure(string? title, string? body)
    {
        title ??= "";
        body ??= "";
        var lowerTitle = title.ToLowerInvariant();
        var lowerBody = body.ToLowerInvariant();
        var codeBlocks = FencedCode().Count(body);
        return
        [
            title.Contains('?', StringComparison.Ordinal) ? 1 : 0,
            QuestionStart().IsMatch(lowerTitle) ? 1 : 0,
            lowerTitle.Contains("how ", StringComparison.Ordinal) || lowerTitle.Contains("how to", StringComparison.Ordinal) ? 1 : 0,
            FeatureWord().IsMatch(lowerTitle) ? 1 : 0,
            BugWord().IsMatch(lowerTitle) ? 1 : 0,
            Log1p(Count(body, '?')),
            Log1p(codeBlocks),
            StackFrame().IsMatch(body) ? 1 : 0,
            ErrorWord().IsMatch(lowerBody) ? 1 : 0,
            Log1p(VersionString().Count(body)),
            Log1p(Heading().Count(body)),
            Log1p(Checkbox().Count(body)),
            Log1p(Image().Count(body)),
            Log1p(body.Length) / 10f,
            body.Trim().Length == 0 ? 1 : 0,
            lowerBody.Contains("expected", StringComparison.Ordinal) && lowerBody.Contains("actual", StringComparison.Ordinal) ? 1 : 0,
            lowerBody.Contains("steps to reproduce", StringComparison.Ordinal) || lowerBody.Contains("to reproduce", StringComparison.Ordinal) ? 1 : 0,
            FeatureWord().IsMatch(lowerBody) ? 1 : 0,
            lowerBody.Contains("would be", StringComparison.Ordinal) || lowerBody.Contains("it would", StringComparison.Ordinal) ? 1 : 0,
            lowerBody.Contains("how do i", StringComparison.Ordinal) || lowerBody.Contains("how can i", StringComparison.Ordinal) || lowerBody.Contains("is it possible", StringComparison.Ordinal) ? 1 : 0,
        ];
    }

    private static string Normalize(string text)
    {
        text = Url().Replace(text, m => " urltoken " + UrlHost(m.Value) + " ");
        text = Version().Replace(text, " versiontoken ");
        text = HexNumber().Replace(text, " hextoken ");
        text = Number().Replace(text, " numtoken ");
        // Markdown emphasis and heading marks would otherwise glue onto words.
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(c is '*' or '#' or '_' or '`' or '>' or '|' or '\r' or '\n' or '\t' ? ' ' : char.ToLowerInvariant(c));
        }

        return MultiSpace().Replace(builder.ToString(), " ").Trim();
    }

    private static string FirstLine(string code)
    {
        var end = code.IndexOf('\n', StringComparison.Ordinal);
        var line = end < 0 ? code : code[..end];
        return line.Length > 80 ? line[..80] : line;
    }

    private static string UrlHost(string url)
    {
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host.Replace('.', ' ') : "";
    }

    private static int Count(string text, char c)
    {
        var n = 0;
        foreach (var x in text)
        {
            if (x == c) n++;
        }

        return n;
    }

    private static float Log1p(int n) => MathF.Log(1 + n);

    [GeneratedRegex(@"```([\s\S]*?)(```|$)")]
    private static partial Regex FencedCode();

    [GeneratedRegex(@"(^\s*at [\w$.<>]+\(.*\)\s*$)|(^\s*File "".*"", line \d+)|(^\s*#\d+\s+0x[0-9a-f]+)|(Traceback \(most recent call last\))", RegexOptions.Multiline)]
    private static partial Regex StackFrame();

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex Url();

    [GeneratedRegex(@"\bv?\d+\.\d+(\.\d+)*([-.][a-z0-9]+)?\b", RegexOptions.IgnoreCase)]
    private static partial Regex Version();

    [GeneratedRegex(@"\bv?\d+\.\d+(\.\d+)+\b|\bversion\b", RegexOptions.IgnoreCase)]
    private static partial Regex VersionString();

    [GeneratedRegex(@"\b0x[0-9a-f]+\b|\b[0-9a-f]{16,}\b", RegexOptions.IgnoreCase)]
    private static partial Regex HexNumber();

    [GeneratedRegex(@"\b\d+\b")]
    private static partial Regex Number();

    [GeneratedRegex(@"\s+")]
    private static partial Regex MultiSpace();

    [GeneratedRegex(@"^\s*(how|what|why|when|where|which|is|are|can|could|should|does|do|will|would)\b")]
    private static partial Regex QuestionStart();

    [GeneratedRegex(@"\b(feature|request|support for|add|allow|option|proposal|enhancement|suggestion|would be nice|ability)\b")]
    private static partial Regex FeatureWord();

    [GeneratedRegex(@"\b(bug|crash|crashes|error|fail|fails|failed|broken|exception|segfault|wrong|incorrect|regression|not working|doesn't work)\b")]
    private static partial Regex BugWord();

    [GeneratedRegex(@"\b(error|exception|traceback|segmentation fault|crash|failed|assert)\b")]
    private static partial Regex ErrorWord();

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s|^\s*\*\*[^*\n]+\*\*\s*$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"^\s*[-*]\s\[[ xX]\]", RegexOptions.Multiline)]
    private static partial Regex Checkbox();

    [GeneratedRegex(@"!\[[^\]]*\]\(|<img\s", RegexOptions.IgnoreCase)]
    private static partial Regex Image();
}
