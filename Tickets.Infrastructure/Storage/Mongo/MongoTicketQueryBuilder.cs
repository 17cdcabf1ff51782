using AspireTickets.Domain.Storage;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;
using F = AspireTickets.Infrastructure.Storage.Mongo.MongoTicketDocuments.Fields;

namespace AspireTickets.Infrastructure.Storage.Mongo;

/// <summary>The MongoDB form of one <see cref="TicketQuery"/>.</summary>
internal sealed record MongoTicketQuery(FilterDefinition<BsonDocument> Filter, SortDefinition<BsonDocument> Sort, int Skip, int Limit);

/// <summary>
/// Builds filter and sort definitions for a <see cref="TicketQuery"/>. Separate from the store so the rendered
/// BSON can be checked without a server (<see cref="Render(FilterDefinition{BsonDocument})"/>).
/// </summary>
internal static class MongoTicketQueryBuilder
{
    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;
    private static readonly SortDefinitionBuilder<BsonDocument> Sort = Builders<BsonDocument>.Sort;

    public static MongoTicketQuery Build(TicketQuery query)
    {
        TicketQueryPaging.Validate(query);
        var skip = (long)(query.Page - 1) * query.PageSize;
        if (skip > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Page, "Page is beyond the last possible page.");
        }
        return new MongoTicketQuery(BuildFilter(query), BuildSort(query), (int)skip, query.PageSize);
    }

    public static FilterDefinition<BsonDocument> BuildFilter(TicketQuery query)
    {
        var filters = new List<FilterDefinition<BsonDocument>>();

        // $text must be a top-level conjunct; it goes first so the rendered filter reads like the plan.
        var words = TextSearchTerms.Words(query.Text);
        if (words.Count > 0)
        {
            filters.Add(Filter.Text(TextSearch(words)));
        }

        if (query.ArchivedOnly)
        {
            filters.Add(Filter.Eq(F.Archived, true));
        }
        else if (!query.IncludeArchived)
        {
            filters.Add(Filter.Eq(F.Archived, false));
        }

        if (query.Statuses.Count > 0)
        {
            filters.Add(In(F.Status, query.Statuses.Distinct().Order().Select(s => s.ToString())));
        }
        if (query.Priorities.Count > 0)
        {
            filters.Add(In(F.Priority, query.Priorities.Distinct().Order().Select(p => p.ToString())));
        }
        if (!string.IsNullOrEmpty(query.Category))
        {
            filters.Add(Filter.Eq(F.Category, query.Category));
        }
        if (!string.IsNullOrEmpty(query.Assignee))
        {
            filters.Add(Filter.Eq(F.Assignee, query.Assignee));
        }
        if (!string.IsNullOrWhiteSpace(query.Label))
        {
            filters.Add(Filter.Eq(F.Labels, TicketIndexValues.NormalizeLabel(query.Label)));
        }
        if (query.CreatedFrom is { } from)
        {
            filters.Add(Filter.Gte(F.CreatedAt, new BsonDateTime(from.UtcDateTime)));
        }
        if (query.CreatedTo is { } to)
        {
            filters.Add(Filter.Lt(F.CreatedAt, new BsonDateTime(to.UtcDateTime)));
        }

        return filters.Count == 0 ? Filter.Empty : Filter.And(filters);
    }

    public static SortDefinition<BsonDocument> BuildSort(TicketQuery query)
    {
        var field = query.SortBy switch
        {
            TicketSortField.Created => F.CreatedAt,
            TicketSortField.Updated => F.UpdatedAt,
            // The numeric orders, not the names: urgency and lifecycle order, the same as the SQLite store.
            TicketSortField.Priority => F.PriorityOrder,
            TicketSortField.Status => F.StatusOrder,
            _ => throw new ArgumentOutOfRangeException(nameof(query), query.SortBy, "Unknown sort field."),
        };
        return query.Descending
            ? Sort.Descending(field).Descending(F.Id)
            : Sort.Ascending(field).Ascending(F.Id);
    }

    /// <summary>
    /// Each word as a quoted phrase: MongoDB ANDs phrases (bare terms would be ORed), and inside quotes a word is
    /// never negation (<c>-x</c>) or another phrase. Words hold only letters, digits and marks, so they cannot
    /// contain a quote or a backslash.
    /// </summary>
    public static string TextSearch(IReadOnlyList<string> words) => string.Join(' ', words.Select(w => "\"" + w + "\""));

    public static BsonDocument Render(FilterDefinition<BsonDocument> filter) => filter.Render(Args());

    public static BsonDocument Render(SortDefinition<BsonDocument> sort) => sort.Render(Args());

    private static RenderArgs<BsonDocument> Args() =>
        new(BsonSerializer.SerializerRegistry.GetSerializer<BsonDocument>(), BsonSerializer.SerializerRegistry);

    private static FilterDefinition<BsonDocument> In(string field, IEnumerable<string> values)
    {
        var list = values.ToList();
        return list.Count == 1 ? Filter.Eq(field, list[0]) : Filter.In(field, list);
    }
}
