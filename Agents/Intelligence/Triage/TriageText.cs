using System.Text;
using System.Text.RegularExpressions;

namespace AspireTickets.Agents.Intelligence.Triage;

using Text = AspireTickets.Agents.Intelligence.Text;

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

    /// <summary>Width of <see cref="Structure"/> (a constant because ML.NET's schema attribute needs one).</summary>
    public const int StructureFeatureCount = 37;

    private const int MaxStructureLength = 20000;

    public static IEnumerable<string> StructureFeatureNames => Features.Select(f => f.Name);

    private sealed record Ticket(string Title, string Body, string LowerTitle, string LowerBody, string LowerProse, int CodeBlocks);

    // Each feature encodes one piece of general knowledge about how people write bug reports, feature
    // requests and questions (not fitted to any data set); the model learns how much each one matters.
    private static readonly (string Name, Func<Ticket, float> Value)[] Features =
    [
        ("title_question_mark", t => t.Title.Contains('?', StringComparison.Ordinal) ? 1 : 0),
        ("title_question_start", t => QuestionStart().IsMatch(t.LowerTitle) ? 1 : 0),
        ("title_how", t => HowTo().IsMatch(t.LowerTitle) ? 1 : 0),
        ("title_feature_word", t => FeatureWord().IsMatch(t.LowerTitle) ? 1 : 0),
        ("title_bug_word", t => BugWord().IsMatch(t.LowerTitle) ? 1 : 0),
        ("title_imperative", t => Imperative().IsMatch(t.LowerTitle) ? 1 : 0),
        ("title_tag_bug", t => TagBug().IsMatch(t.LowerTitle) ? 1 : 0),
        ("title_tag_feature", t => TagFeature().IsMatch(t.LowerTitle) ? 1 : 0),
        ("title_tag_question", t => TagQuestion().IsMatch(t.LowerTitle) ? 1 : 0),
        ("title_negation", t => Negation().IsMatch(t.LowerTitle) ? 1 : 0),
        ("title_code_identifier", t => CodeIdentifier().IsMatch(t.Title) ? 1 : 0),
        ("title_length", t => Log1p(t.Title.Length) / 5f),
        ("body_question_marks", t => Log1p(Count(t.LowerProse, '?'))),
        ("body_code_blocks", t => Log1p(t.CodeBlocks)),
        ("body_stack_trace", t => StackFrame().IsMatch(t.Body) ? 1 : 0),
        ("body_error_word", t => ErrorWord().IsMatch(t.LowerBody) ? 1 : 0),
        ("body_version_strings", t => Log1p(VersionString().Count(t.Body))),
        ("body_headings", t => Log1p(Heading().Count(t.Body))),
        ("body_checkboxes", t => Log1p(Checkbox().Count(t.Body))),
        ("body_images", t => Log1p(Image().Count(t.Body))),
        ("body_links", t => Log1p(Url().Count(t.Body))),
        ("body_length", t => Log1p(t.Body.Length) / 10f),
        ("body_empty", t => t.Body.Trim().Length == 0 ? 1 : 0),
        ("body_expected_actual", t => ExpectedActual().IsMatch(t.LowerProse) ? 1 : 0),
        ("body_steps", t => Steps().IsMatch(t.LowerProse) ? 1 : 0),
        ("body_regression", t => Regression().IsMatch(t.LowerProse) ? 1 : 0),
        ("body_feature_word", t => FeatureWord().IsMatch(t.LowerProse) ? 1 : 0),
        ("body_wish", t => Wish().IsMatch(t.LowerProse) ? 1 : 0),
        ("body_motivation", t => Motivation().IsMatch(t.LowerProse) ? 1 : 0),
        ("body_asking", t => Asking().IsMatch(t.LowerProse) ? 1 : 0),
        ("body_help_forum", t => HelpForum().IsMatch(t.LowerProse) ? 1 : 0),
        ("body_gratitude", t => Gratitude().IsMatch(t.LowerProse) ? 1 : 0),
        ("body_trying", t => Trying().IsMatch(t.LowerProse) ? 1 : 0),
        ("body_negation", t => Negation().IsMatch(t.LowerProse) ? 1 : 0),
        ("template_answer_bug", t => TemplateAnswer(t.Body, TagBug()) ? 1 : 0),
        ("template_answer_feature", t => TemplateAnswer(t.Body, TagFeature()) ? 1 : 0),
        ("template_answer_question", t => TemplateAnswer(t.Body, TagQuestion()) ? 1 : 0),
    ];

    public static string NormalizeTitle(string? title) => Normalize(title ?? "");

    /// <summary>Replaces every purely alphabetic word of normalized text by its Porter stem.</summary>
    public static string StemWords(string normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        return string.Join(' ', normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => Text.PorterStemmer.Stem(w)));
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

    /// <summary>What a sentence encoder reads of the title: the title as written (the encoder has its own tokenizer).</summary>
    public static string EncoderTitle(string? title) => (title ?? "").Trim();

    /// <summary>
    /// What a sentence encoder reads of the whole ticket: the title, then the body's prose as written (the encoder was
    /// trained on natural sentences, not on the n-grams' placeholder tokens) without HTML comments (the template's
    /// instructions to the reporter, the same in every ticket), fenced code (only its first line, usually the language
    /// or the failing call, is kept), stack frames and markdown marks, cut at <see cref="EncoderTextLength"/>
    /// characters. The opening states the problem; the encoder pools all it reads into one vector, so pasted logs
    /// further down would only dilute it.
    /// </summary>
    public static string EncoderText(string? title, string? body)
    {
        var prose = HtmlComment().Replace(body ?? "", " ");
        prose = FencedCode().Replace(prose, m => " (code: " + FirstLine(m.Groups[1].Value) + ") ");
        prose = StackFrame().Replace(prose, " ");
        prose = MultiSpace().Replace(prose.Replace('*', ' ').Replace('#', ' ').Replace('`', ' '), " ").Trim();
        var text = EncoderTitle(title) + ". " + prose;
        return text.Length > EncoderTextLength ? text[..EncoderTextLength] : text;
    }

    /// <summary>Characters of <see cref="EncoderText"/>: about 300 word pieces, within what all-MiniLM-L6-v2 was trained on.</summary>
    public const int EncoderTextLength = 1200;

    /// <summary>
    /// The issue template's skeleton: heading lines (markdown headings, bold-only lines) and, marked with an
    /// "ansx" prefix, the words of the short answer below each. Templates differ by issue type, and a
    /// reporter's answer to "Issue type" or "Do you want to request a feature or report a bug?" says a lot.
    /// </summary>
    public static string Headings(string? body)
    {
        // Starts with a constant word so the vocabulary is never empty (ML.NET cannot featurize an empty one).
        var builder = new StringBuilder("template ");
        if (string.IsNullOrEmpty(body))
        {
            return builder.ToString();
        }

        var lines = FencedCode().Replace(body, " ").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!Heading().IsMatch(lines[i]))
            {
                continue;
            }

            builder.Append(Normalize(lines[i])).Append(" . ");
            var answer = lines.Skip(i + 1).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
            if (answer is not null && answer.Length <= 40 && !Heading().IsMatch(answer))
            {
                foreach (var word in Normalize(answer).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    builder.Append("ansx").Append(word).Append(' ');
                }
            }
        }

        return builder.ToString();
    }

    public static float[] Structure(string? title, string? body)
    {
        title ??= "";
        body ??= "";
        // Structure shows in the first pages; scanning 100 KB log dumps with 37 patterns only costs time.
        if (body.Length > MaxStructureLength)
        {
            body = body[..MaxStructureLength];
        }

        var prose = FencedCode().Replace(body, " ");
        var ticket = new Ticket(title, body, title.ToLowerInvariant(), body.ToLowerInvariant(), prose.ToLowerInvariant(), FencedCode().Count(body));
        return [.. Features.Select(f => f.Value(ticket))];
    }

    private static bool TemplateAnswer(string body, Regex answer)
    {
        var lines = body.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!AskedType().IsMatch(lines[i]))
            {
                continue;
            }

            var reply = lines.Skip(i + 1).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
            return reply is not null && answer.IsMatch(reply.ToLowerInvariant());
        }

        return false;
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

    [GeneratedRegex(@"<!--.*?(-->|$)", RegexOptions.Singleline)]
    private static partial Regex HtmlComment();

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

    [GeneratedRegex(@"^\s*(how to|how do|how can|how should)\b|\bhow to\b")]
    private static partial Regex HowTo();

    [GeneratedRegex(@"^\s*(\[[^\]]*\]\s*)?(add|allow|support|implement|make|provide|enable|expose|introduce|improve|use|let|remove|deprecate|show|display|update)\b")]
    private static partial Regex Imperative();

    [GeneratedRegex(@"\bbug\b|\bcrash\b|\bregression\b")]
    private static partial Regex TagBug();

    [GeneratedRegex(@"\bfeature\b|\benhancement\b|\bproposal\b|\brfc\b")]
    private static partial Regex TagFeature();

    [GeneratedRegex(@"\bquestion\b|\bsupport\b|\bhelp\b|\bhow to\b|\bdocumentation\b|\bothers?\b")]
    private static partial Regex TagQuestion();

    [GeneratedRegex(@"\b(not|no|never|cannot|can't|doesn't|does not|don't|won't|isn't|unable)\b")]
    private static partial Regex Negation();

    [GeneratedRegex(@"\w+\(\)|\w+\.\w+\(|[a-z]+[A-Z]\w+|\w+_\w+")]
    private static partial Regex CodeIdentifier();

    [GeneratedRegex(@"expected (behaviou?r|result|output)|actual (behaviou?r|result|output)|current behaviou?r|instead of|but (it|got|i get)")]
    private static partial Regex ExpectedActual();

    [GeneratedRegex(@"steps to reproduce|to reproduce|reproduction|repro\b|minimal (code|example)|standalone code")]
    private static partial Regex Steps();

    [GeneratedRegex(@"regression|used to work|worked (fine |well )?(in|before|with)|stopped working|after (upgrading|updating)")]
    private static partial Regex Regression();

    [GeneratedRegex(@"would (be|like)|it would|i'd like|i would like|could you add|please add|nice to have|should (be able|support|have|allow)|suggest")]
    private static partial Regex Wish();

    [GeneratedRegex(@"motivation|use case|proposed (solution|api|change)|alternatives?|describe the (feature|solution)|is your feature request|pitch")]
    private static partial Regex Motivation();

    [GeneratedRegex(@"how (do|can|should) i|is it possible|is there (a|any) way|any (idea|suggestion|help)|can (someone|anyone|you) (help|explain)|what is the (best|right|correct)|i'?m (not sure|confused|wondering)|wondering|\bam i\b")]
    private static partial Regex Asking();

    [GeneratedRegex(@"stack ?overflow|forum|discussions?|discord|gitter|mailing list|slack")]
    private static partial Regex HelpForum();

    [GeneratedRegex(@"thanks? (you|in advance)|\bthx\b|appreciate|please help")]
    private static partial Regex Gratitude();

    [GeneratedRegex(@"i'?m trying to|i am trying to|i want to|i need to|i tried|i have been trying")]
    private static partial Regex Trying();

    [GeneratedRegex(@"issue type|do you want to request|type of (issue|request)|what kind of (issue|request)|is this a (bug|feature|question)", RegexOptions.IgnoreCase)]
    private static partial Regex AskedType();


    // A markdown heading, or a line that is bold as a whole (emphasis inside allowed: "**Report a *bug*?**").
    [GeneratedRegex(@"^\s{0,3}#{1,6}\s|^\s*\*\*[^\n]+\*\*\s*$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"^\s*[-*]\s\[[ xX]\]", RegexOptions.Multiline)]
    private static partial Regex Checkbox();

    [GeneratedRegex(@"!\[[^\]]*\]\(|<img\s", RegexOptions.IgnoreCase)]
    private static partial Regex Image();
}
