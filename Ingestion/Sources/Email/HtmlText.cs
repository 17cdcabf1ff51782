using System.Text;
using MimeKit.Text;

namespace AspireTickets.Ingestion.Sources.Email;

/// <summary>
/// HTML mail to readable text with MimeKit's tokenizer (a real HTML5 tokenizer, so broken markup does not break it):
/// block elements become line breaks, list items "- ", links keep their target, scripts and styles are dropped.
/// </summary>
public static class HtmlText
{
    public static string ToText(string html)
    {
        var tokenizer = new HtmlTokenizer(new StringReader(html)) { DecodeCharacterReferences = true };
        var text = new StringBuilder(html.Length / 2);
        var skipDepth = 0;
        string? pendingHref = null;
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag:
                    var id = tag.Id;
                    if (id is HtmlTagId.Script or HtmlTagId.Style or HtmlTagId.Head or HtmlTagId.Title)
                    {
                        if (!tag.IsEmptyElement)
                        {
                            skipDepth = Math.Max(0, skipDepth + (tag.IsEndTag ? -1 : 1));
                        }
                        break;
                    }
                    if (id == HtmlTagId.A)
                    {
                        if (!tag.IsEndTag)
                        {
                            pendingHref = tag.Attributes.FirstOrDefault(a => a.Id == HtmlAttributeId.Href)?.Value;
                        }
                        else if (pendingHref is { Length: > 0 } href && href.StartsWith("http", StringComparison.OrdinalIgnoreCase) && !EndsWith(text, href))
                        {
                            text.Append(" (").Append(href).Append(')');
                            pendingHref = null;
                        }
                        break;
                    }
                    if (id == HtmlTagId.Br)
                    {
                        text.Append('\n');
                    }
                    else if (id == HtmlTagId.LI && !tag.IsEndTag)
                    {
                        NewLine(text);
                        text.Append("- ");
                    }
                    else if (id is HtmlTagId.TD or HtmlTagId.TH && !tag.IsEndTag)
                    {
                        text.Append(' ');
                    }
                    else if (IsBlock(id))
                    {
                        NewLine(text);
                        if (id is HtmlTagId.P or HtmlTagId.H1 or HtmlTagId.H2 or HtmlTagId.H3 or HtmlTagId.BlockQuote or HtmlTagId.Table && tag.IsEndTag)
                        {
                            text.Append('\n');
                        }
                    }
                    break;
                case HtmlDataToken data when skipDepth == 0:
                    AppendCollapsed(text, data.Data);
                    break;
            }
        }
        return Normalize(text.ToString());
    }

    private static bool IsBlock(HtmlTagId id) => id is HtmlTagId.P or HtmlTagId.Div or HtmlTagId.H1 or HtmlTagId.H2 or HtmlTagId.H3
        or HtmlTagId.H4 or HtmlTagId.H5 or HtmlTagId.H6 or HtmlTagId.UL or HtmlTagId.OL or HtmlTagId.Table or HtmlTagId.TR
        or HtmlTagId.BlockQuote or HtmlTagId.Pre or HtmlTagId.HR or HtmlTagId.Body;

    private static void AppendCollapsed(StringBuilder text, string data)
    {
        foreach (var c in data)
        {
            if (char.IsWhiteSpace(c) && c != '\u00A0')
            {
                if (text.Length > 0 && text[^1] is not (' ' or '\n'))
                {
                    text.Append(' ');
                }
            }
            else
            {
                text.Append(c == '\u00A0' ? ' ' : c);
            }
        }
    }

    private static void NewLine(StringBuilder text)
    {
        while (text.Length > 0 && text[^1] == ' ')
        {
            text.Length--;
        }
        if (text.Length > 0 && text[^1] != '\n')
        {
            text.Append('\n');
        }
    }

    private static bool EndsWith(StringBuilder text, string value) =>
        text.Length >= value.Length && text.ToString(text.Length - value.Length, value.Length) == value;

    private static string Normalize(string text)
    {
        var lines = text.Split('\n').Select(l => l.Trim());
        var result = new StringBuilder();
        var blank = 0;
        foreach (var line in lines)
        {
            if (line.Length == 0 && (++blank > 1 || result.Length == 0))
            {
                continue;
            }
            if (line.Length > 0)
            {
                blank = 0;
            }
            result.Append(line).Append('\n');
        }
        return result.ToString().Trim();
    }
}
