using System.Security.Cryptography;
using System.Text;

namespace AspireTickets.Agents.KnowledgeBase;

/// <summary>
/// Splits a markdown article into sections at its headings (ATX <c>#</c>…<c>######</c>), ignoring heading-like
/// lines inside fenced code. A section is named by its heading path ("Setup › Proxy") so a citation says where the
/// passage is; text before the first heading belongs to a section named after the article.
/// </summary>
public static class MarkdownChunker
{
    /// <summary>Sections longer than this are split at paragraph boundaries so each chunk stays on one topic.</summary>
    public const int MaxChunkLength = 2000;

    public static IReadOnlyList<KnowledgeChunk> Chunk(KnowledgeArticle article)
    {
        ArgumentNullException.ThrowIfNull(article);
        var chunks = new List<KnowledgeChunk>();
        var path = new List<(int Level, string Title)>();
        var section = article.Title;
        var text = new StringBuilder();
        var inFence = false;

        void Flush()
        {
            foreach (var part in SplitLong(text.ToString().Trim()))
            {
                var order = chunks.Count;
                chunks.Add(new KnowledgeChunk(ChunkId(article.Id, order), article.Id, article.Title, section, part, order));
            }
            text.Clear();
        }

        foreach (var rawLine in article.Body.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = rawLine.TrimEnd();
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal) || line.TrimStart().StartsWith("~~~", StringComparison.Ordinal))
            {
                inFence = !inFence;
            }
            if (!inFence && Heading(line) is { } heading)
            {
                Flush();
                path.RemoveAll(p => p.Level >= heading.Level);
                path.Add(heading);
                section = string.Join(" › ", path.Select(p => p.Title));
                continue;
            }
            text.AppendLine(line);
        }
        Flush();
        return chunks;
    }

    /// <summary>A chunk's id is a function of article and position, so re-indexing an article replaces its chunks.</summary>
    public static Guid ChunkId(Guid articleId, int order)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"kb:{articleId:n}:{order}"));
        return new Guid(hash.AsSpan(0, 16));
    }

    private static (int Level, string Title)? Heading(string line)
    {
        var trimmed = line.TrimStart();
        if (line.Length - trimmed.Length > 3)
        {
            return null;
        }
        var level = 0;
        while (level < trimmed.Length && trimmed[level] == '#')
        {
            level++;
        }
        if (level is 0 or > 6 || (level < trimmed.Length && trimmed[level] != ' '))
        {
            return null;
        }
        var title = trimmed[level..].Trim().TrimEnd('#').Trim();
        return title.Length == 0 ? null : (level, title);
    }

    private static IEnumerable<string> SplitLong(string text)
    {
        if (text.Length == 0)
        {
            yield break;
        }
        if (text.Length <= MaxChunkLength)
        {
            yield return text;
            yield break;
        }
        var current = new StringBuilder();
        foreach (var paragraph in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (current.Length > 0 && current.Length + paragraph.Length > MaxChunkLength)
            {
                yield return current.ToString();
                current.Clear();
            }
            current.Append(current.Length > 0 ? "\n\n" : "").Append(paragraph);
        }
        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }
}
