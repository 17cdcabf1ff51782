namespace AspireTickets.Agents.KnowledgeBase;

/// <summary>A knowledge-base article (document collection <c>kb_articles</c>): markdown, sections by heading.</summary>
public sealed class KnowledgeArticle
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Title { get; set; } = "";
    public string Body { get; set; } = "";
    public List<string> Tags { get; set; } = [];
    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}

/// <summary>One section of an article: the unit that is indexed, retrieved and cited.</summary>
public sealed record KnowledgeChunk(Guid Id, Guid ArticleId, string ArticleTitle, string Section, string Text, int Order);
