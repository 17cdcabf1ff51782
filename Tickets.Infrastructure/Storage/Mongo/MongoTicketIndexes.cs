using MongoDB.Bson;
using MongoDB.Driver;
using F = AspireTickets.Infrastructure.Storage.Mongo.MongoTicketDocuments.Fields;

namespace AspireTickets.Infrastructure.Storage.Mongo;

/// <summary>
/// Indexes of the three collections, created at start (creating an existing index is a no-op). Like the SQLite
/// store's: list queries filter on <c>archived</c> and equality filters, then sort, with <c>_id</c> as tiebreak.
/// </summary>
internal static class MongoTicketIndexes
{
    public static IEnumerable<CreateIndexModel<BsonDocument>> Tickets()
    {
        yield return new(new BsonDocument(F.SourceKey, 1), new CreateIndexOptions<BsonDocument>
        {
            Name = "ux_sourceKey",
            Unique = true,
            // Tickets without a source key have no such field and must not collide with each other.
            PartialFilterExpression = Builders<BsonDocument>.Filter.Type(F.SourceKey, BsonType.String),
        });
        yield return Index("ix_created", (F.Archived, 1), (F.CreatedAt, -1), (F.Id, -1));
        yield return Index("ix_updated", (F.Archived, 1), (F.UpdatedAt, -1), (F.Id, -1));
        yield return Index("ix_status", (F.Archived, 1), (F.Status, 1), (F.CreatedAt, -1), (F.Id, -1));
        yield return Index("ix_status_priority", (F.Archived, 1), (F.Status, 1), (F.Priority, 1), (F.CreatedAt, -1), (F.Id, -1));
        yield return Index("ix_category", (F.Archived, 1), (F.Category, 1), (F.CreatedAt, -1), (F.Id, -1));
        yield return Index("ix_assignee", (F.Archived, 1), (F.Assignee, 1), (F.CreatedAt, -1), (F.Id, -1));
        yield return Index("ix_priority_sort", (F.Archived, 1), (F.PriorityOrder, -1), (F.Id, -1));
        yield return Index("ix_status_sort", (F.Archived, 1), (F.StatusOrder, 1), (F.Id, 1));
        yield return Index("ix_labels", (F.Labels, 1));
        yield return new(new BsonDocument(F.Pending, 1), new CreateIndexOptions { Name = "ix_pending", Sparse = true });
        yield return new(
            new BsonDocument { { "ticket.title", "text" }, { "ticket.description", "text" }, { "ticket.comments.text", "text" } },
            // "none": no stemming or stop words, so every word the user typed must occur as typed (as in SQLite).
            new CreateIndexOptions { Name = "tx_ticket_text", DefaultLanguage = "none" });
    }

    public static IEnumerable<CreateIndexModel<BsonDocument>> Audit()
    {
        yield return Index("ix_ticket", (F.TicketId, 1), (F.AuditVersion, 1), (F.AuditIndex, 1));
    }

    public static IEnumerable<CreateIndexModel<BsonDocument>> Outbox()
    {
        yield return Index("ix_unpublished", (F.Published, 1), (F.OccurredAt, 1), (F.Id, 1));
    }

    private static CreateIndexModel<BsonDocument> Index(string name, params (string Field, int Direction)[] keys) =>
        new(new BsonDocument(keys.Select(k => new BsonElement(k.Field, k.Direction))), new CreateIndexOptions { Name = name });
}
