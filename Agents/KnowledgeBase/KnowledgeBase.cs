using AspireTickets.Agents.Similarity;
using AspireTickets.Domain.Storage;

namespace AspireTickets.Agents.KnowledgeBase;

/// <summary>
/// The knowledge base: articles in the document store (<c>kb_articles</c>) and their sections in a similarity
/// corpus for retrieval. Every write re-indexes the article's sections, so retrieval always sees saved content.
/// </summary>
public sealed class KnowledgeBase(IDocumentStore documents, TimeProvider time)
{
    public const string CollectionName = "kb_articles";

    private readonly IDocumentCollection<KnowledgeArticle> _articles = documents.Collection<KnowledgeArticle>(CollectionName);
    private readonly SimilarityCorpus<KnowledgeChunk> _sections = new();
    private readonly Dictionary<Guid, int> _chunkCounts = [];
    private readonly Lock _gate = new();

    public int IndexedSections => _sections.Count;

    public Task<KnowledgeArticle?> GetAsync(Guid id, CancellationToken ct) => _articles.GetAsync(id.ToString(), ct);

    public Task<IReadOnlyList<KnowledgeArticle>> ListAsync(int limit, CancellationToken ct) => _articles.ListAsync(null, limit, newestFirst: true, ct);

    public async Task<KnowledgeArticle> SaveAsync(KnowledgeArticle article, string actor, CancellationToken ct)
    {
        article.UpdatedAt = time.GetUtcNow();
        article.UpdatedBy = actor;
        await _articles.UpsertAsync(new StoredDocument<KnowledgeArticle>(article.Id.ToString(), article, article.UpdatedAt), ct);
        Index(article);
        return article;
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken ct)
    {
        var deleted = await _articles.DeleteAsync(id.ToString(), ct);
        Unindex(id);
        return deleted;
    }

    /// <summary>Rebuilds the section index from the stored articles (at start).</summary>
    public async Task<int> LoadAsync(CancellationToken ct)
    {
        var articles = await _articles.ListAsync(null, int.MaxValue, newestFirst: false, ct);
        foreach (var article in articles)
        {
            Index(article);
        }
        return articles.Count;
    }

    /// <summary>Sections most similar to the text, best first.</summary>
    public IReadOnlyList<SimilarEntry<KnowledgeChunk>> Search(string title, string? body, int topK) => _sections.Find(title, body, topK);

    private void Index(KnowledgeArticle article)
    {
        var chunks = MarkdownChunker.Chunk(article);
        lock (_gate)
        {
            var previous = _chunkCounts.GetValueOrDefault(article.Id);
            foreach (var chunk in chunks)
            {
                // The section name joins the indexed text: a heading like "Reset a password" is what people search for.
                _sections.Upsert(chunk.Id, $"{chunk.ArticleTitle} {chunk.Section}", chunk.Text, chunk);
            }
            for (var order = chunks.Count; order < previous; order++)
            {
                _sections.Remove(MarkdownChunker.ChunkId(article.Id, order));
            }
            _chunkCounts[article.Id] = chunks.Count;
        }
    }

    private void Unindex(Guid articleId)
    {
        lock (_gate)
        {
            if (_chunkCounts.Remove(articleId, out var count))
            {
                for (var order = 0; order < count; order++)
                {
                    _sections.Remove(MarkdownChunker.ChunkId(articleId, order));
                }
            }
        }
    }
}
