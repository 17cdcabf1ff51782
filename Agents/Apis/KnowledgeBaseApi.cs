using System.Security.Claims;
using AspireTickets.Agents.KnowledgeBase;
using AspireTickets.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AspireTickets.Agents.Apis;

public sealed record KnowledgeArticleRequest(string? Title, string? Body, List<string>? Tags);

public sealed record KnowledgeSearchHit(Guid ArticleId, string ArticleTitle, string Section, string Text, double Score);

public static class KnowledgeBaseApi
{
    public const int MaxTitleLength = 200;
    public const int MaxBodyLength = 200_000;
    public const int MaxTags = 20;
    public const int MaxTagLength = 50;

    public static IEndpointRouteBuilder MapKnowledgeBaseApi(this IEndpointRouteBuilder app)
    {
        // Every staff member reads the knowledge base; leads curate it.
        var api = app.MapGroup("/api/kb").WithTags("Knowledge base").RequireAuthorization(TicketsPolicies.Agent);

        api.MapGet("/", List).WithName("ListArticles").WithSummary("Knowledge-base articles, most recently updated first; with q, the articles matching it, best first");
        api.MapGet("/search", Search).WithName("SearchArticles").WithSummary("Article sections most similar to a query");
        api.MapGet("/{id:guid}", Get).WithName("GetArticle").WithSummary("One article");
        api.MapPost("/", Create).WithName("CreateArticle").WithSummary("Create an article (markdown; sections by heading are indexed)")
            .RequireAuthorization(TicketsPolicies.Lead);
        api.MapPut("/{id:guid}", Update).WithName("UpdateArticle").WithSummary("Replace an article's title, body and tags")
            .RequireAuthorization(TicketsPolicies.Lead);
        api.MapDelete("/{id:guid}", Delete).WithName("DeleteArticle").WithSummary("Delete an article and its indexed sections")
            .RequireAuthorization(TicketsPolicies.Lead);

        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<KnowledgeArticle>>, ValidationProblem>> List(KnowledgeBase.KnowledgeBase kb, string? q, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > 1000)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["The limit must be between 1 and 1000."] });
        }
        if (q is { Length: > 2000 })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["q"] = ["The query may have at most 2000 characters."] });
        }
        if (string.IsNullOrWhiteSpace(q))
        {
            return TypedResults.Ok(await kb.ListAsync(limit ?? 200, ct));
        }
        return TypedResults.Ok<IReadOnlyList<KnowledgeArticle>>(await MatchingAsync(kb, q.Trim(), limit ?? 200, ct));
    }

    /// <summary>
    /// Articles for a search box: those containing every word typed (in title, tags or text), title and tag matches
    /// first (people search for what they remember of a title), then by how similar their best section is to the query.
    /// Similar-but-not-containing sections are what <c>/api/kb/search</c> is for.
    /// </summary>
    private static async Task<List<KnowledgeArticle>> MatchingAsync(KnowledgeBase.KnowledgeBase kb, string q, int limit, CancellationToken ct)
    {
        var words = q.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        bool ContainsAll(string text) => words.All(w => text.Contains(w, StringComparison.OrdinalIgnoreCase));
        var sectionRank = kb.Search(q, null, 200)
            .Select((hit, rank) => (hit.Entry.ArticleId, rank))
            .GroupBy(x => x.ArticleId)
            .ToDictionary(g => g.Key, g => g.Min(x => x.rank));

        return [.. (await kb.ListAsync(1000, ct))
            .Select(a => (Article: a, InTitle: ContainsAll(a.Title + " " + string.Join(' ', a.Tags))))
            .Where(x => x.InTitle || ContainsAll(x.Article.Body))
            .OrderByDescending(x => x.InTitle)
            .ThenBy(x => sectionRank.GetValueOrDefault(x.Article.Id, int.MaxValue))
            .Select(x => x.Article)
            .Take(limit)];
    }

    public static Results<Ok<IReadOnlyList<KnowledgeSearchHit>>, ValidationProblem> Search(KnowledgeBase.KnowledgeBase kb, string? q, int? top)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(q))
        {
            errors["q"] = ["A query is required."];
        }
        else if (q.Length > 2000)
        {
            errors["q"] = ["The query may have at most 2000 characters."];
        }
        if (top is < 1 or > 50)
        {
            errors["top"] = ["top must be between 1 and 50."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var hits = kb.Search(q!, null, top ?? 5)
            .Select(h => new KnowledgeSearchHit(h.Entry.ArticleId, h.Entry.ArticleTitle, h.Entry.Section, h.Entry.Text, Math.Round(h.Score, 4)))
            .ToList();
        return TypedResults.Ok<IReadOnlyList<KnowledgeSearchHit>>(hits);
    }

    public static async Task<Results<Ok<KnowledgeArticle>, ProblemHttpResult>> Get(Guid id, KnowledgeBase.KnowledgeBase kb, CancellationToken ct)
    {
        var article = await kb.GetAsync(id, ct);
        return article is null ? NotFound(id) : TypedResults.Ok(article);
    }

    public static async Task<Results<Created<KnowledgeArticle>, ValidationProblem>> Create(
        KnowledgeArticleRequest request, KnowledgeBase.KnowledgeBase kb, ClaimsPrincipal user, CancellationToken ct)
    {
        if (Validate(request) is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var article = Apply(new KnowledgeArticle(), request);
        await kb.SaveAsync(article, user.Identity?.Name ?? "anonymous", ct);
        return TypedResults.Created($"/api/kb/{article.Id}", article);
    }

    public static async Task<Results<Ok<KnowledgeArticle>, ProblemHttpResult, ValidationProblem>> Update(
        Guid id, KnowledgeArticleRequest request, KnowledgeBase.KnowledgeBase kb, ClaimsPrincipal user, CancellationToken ct)
    {
        if (Validate(request) is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var article = await kb.GetAsync(id, ct);
        if (article is null)
        {
            return NotFound(id);
        }
        await kb.SaveAsync(Apply(article, request), user.Identity?.Name ?? "anonymous", ct);
        return TypedResults.Ok(article);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, KnowledgeBase.KnowledgeBase kb, CancellationToken ct) =>
        await kb.DeleteAsync(id, ct) ? TypedResults.NoContent() : NotFound(id);

    private static KnowledgeArticle Apply(KnowledgeArticle article, KnowledgeArticleRequest request)
    {
        article.Title = request.Title!.Trim();
        article.Body = request.Body!;
        article.Tags = [.. (request.Tags ?? []).Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];
        return article;
    }

    private static Dictionary<string, string[]>? Validate(KnowledgeArticleRequest request)
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string reason)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }
            list.Add(reason);
        }

        if (string.IsNullOrWhiteSpace(request.Title))
        {
            Add("title", "The title is required.");
        }
        else if (request.Title.Length > MaxTitleLength)
        {
            Add("title", $"The title may have at most {MaxTitleLength} characters.");
        }
        if (string.IsNullOrWhiteSpace(request.Body))
        {
            Add("body", "The body (markdown) is required.");
        }
        else if (request.Body.Length > MaxBodyLength)
        {
            Add("body", $"The body may have at most {MaxBodyLength} characters.");
        }
        if (request.Tags is { } tags)
        {
            if (tags.Count > MaxTags)
            {
                Add("tags", $"An article may have at most {MaxTags} tags.");
            }
            for (var i = 0; i < tags.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(tags[i]))
                {
                    Add($"tags[{i}]", "A tag may not be empty.");
                }
                else if (tags[i].Length > MaxTagLength)
                {
                    Add($"tags[{i}]", $"A tag may have at most {MaxTagLength} characters.");
                }
            }
        }
        return errors.Count == 0 ? null : errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem($"There is no article {id}.", statusCode: StatusCodes.Status404NotFound, title: "Article not found");
}
