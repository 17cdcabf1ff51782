using AspireTickets.Domain.Events;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;
using MongoDB.Bson;
using MongoDB.Bson.IO;

namespace AspireTickets.Infrastructure.Storage.Mongo;

/// <summary>
/// The MongoDB document shapes. A ticket document holds the ticket as written by <see cref="TicketJson"/> under
/// <c>ticket</c> (the same JSON the SQLite store keeps, so both adapters round-trip it identically) and, beside it,
/// the typed fields queries filter and sort on. Ids are strings (<c>D</c> format): readable, and free of the
/// driver's GUID-representation settings.
/// </summary>
internal static class MongoTicketDocuments
{
    public const string TicketsCollection = "tickets";
    public const string AuditCollection = "audit";
    public const string OutboxCollection = "outbox";

    /// <summary>Field names; the query builder, the indexes and the mapping use only these.</summary>
    public static class Fields
    {
        public const string Id = "_id";
        public const string SourceKey = "sourceKey";
        public const string Status = "status";
        public const string StatusOrder = "statusOrder";
        public const string Priority = "priority";
        public const string PriorityOrder = "priorityOrder";
        public const string Category = "category";
        public const string Assignee = "assignee";
        public const string Labels = "labels";
        public const string CreatedAt = "createdAt";
        public const string UpdatedAt = "updatedAt";
        public const string ArchivedAt = "archivedAt";
        public const string Archived = "archived";
        public const string FirstResponseAt = "firstResponseAt";
        public const string ResolvedAt = "resolvedAt";
        public const string FirstResponseDueAt = "firstResponseDueAt";
        public const string ResolutionDueAt = "resolutionDueAt";
        public const string Version = "version";
        public const string Ticket = "ticket";

        /// <summary>Events and audit entries written with the ticket but not yet copied to their collections.</summary>
        public const string Pending = "pending";
        public const string PendingEvents = "pending.events";
        public const string PendingAudit = "pending.audit";

        public const string TicketId = "ticketId";
        public const string AuditVersion = "version";
        public const string AuditIndex = "index";
        public const string Type = "type";
        public const string OccurredAt = "occurredAt";
        public const string Json = "json";
        public const string Published = "published";
        public const string PublishedAt = "publishedAt";
    }

    private static readonly JsonWriterSettings RelaxedJson = new() { OutputMode = JsonOutputMode.RelaxedExtendedJson, Indent = false };

    public static string Id(Guid id) => id.ToString("D");

    /// <summary>The typed fields of the ticket (everything but the id, the source key and the pending changes).</summary>
    public static BsonDocument TicketFields(Ticket ticket, long version) => new()
    {
        { Fields.Status, ticket.Status.ToString() },
        { Fields.StatusOrder, (int)ticket.Status },
        { Fields.Priority, ticket.Priority.ToString() },
        { Fields.PriorityOrder, (int)ticket.Priority },
        { Fields.Category, Nullable(ticket.Category) },
        { Fields.Assignee, Nullable(ticket.Assignee) },
        { Fields.Labels, new BsonArray(TicketIndexValues.Labels(ticket)) },
        { Fields.CreatedAt, Date(ticket.CreatedAt) },
        { Fields.UpdatedAt, Date(ticket.UpdatedAt) },
        { Fields.ArchivedAt, Date(ticket.ArchivedAt) },
        { Fields.Archived, ticket.ArchivedAt is not null },
        { Fields.FirstResponseAt, Date(ticket.FirstResponseAt) },
        { Fields.ResolvedAt, Date(ticket.ResolvedAt) },
        { Fields.FirstResponseDueAt, Date(ticket.Sla.FirstResponseDueAt) },
        { Fields.ResolutionDueAt, Date(ticket.Sla.ResolutionDueAt) },
        { Fields.Version, version },
        { Fields.Ticket, BsonDocument.Parse(TicketJson.Serialize(ticket)) },
    };

    /// <summary>A new ticket document; <paramref name="pending"/> holds the changes when they are fanned out after the write.</summary>
    public static BsonDocument NewTicket(Ticket ticket, BsonDocument? pending)
    {
        var document = new BsonDocument(Fields.Id, Id(ticket.Id));
        if (TicketIndexValues.SourceKey(ticket) is { } sourceKey)
        {
            // Absent rather than null when there is none: the unique index only covers string keys.
            document.Add(Fields.SourceKey, sourceKey);
        }
        document.AddRange(TicketFields(ticket, ticket.Version));
        if (pending is not null)
        {
            document.Add(Fields.Pending, pending);
        }
        return document;
    }

    public static Ticket ToTicket(BsonDocument document) =>
        TicketJson.DeserializeTicket(document[Fields.Ticket].AsBsonDocument.ToJson(RelaxedJson), document[Fields.Version].ToInt64());

    public static List<BsonDocument> AuditDocuments(IReadOnlyList<AuditEntry> entries, long version) =>
        entries.Select((entry, index) => new BsonDocument
        {
            { Fields.Id, Id(entry.Id) },
            { Fields.TicketId, Id(entry.TicketId) },
            // (ticket version, position in the write) orders a trail exactly; times alone tie within one write.
            { Fields.AuditVersion, version },
            { Fields.AuditIndex, index },
            { "at", Date(entry.At) },
            { "actor", entry.Actor },
            { "field", entry.Field },
            { "oldValue", Nullable(entry.OldValue) },
            { "newValue", Nullable(entry.NewValue) },
            { "reason", Nullable(entry.Reason) },
        }).ToList();

    public static AuditEntry ToAuditEntry(BsonDocument document) => new()
    {
        Id = Guid.Parse(document[Fields.Id].AsString),
        TicketId = Guid.Parse(document[Fields.TicketId].AsString),
        At = ToTime(document["at"])!.Value,
        Actor = document["actor"].AsString,
        Field = document["field"].AsString,
        OldValue = ToNullableString(document["oldValue"]),
        NewValue = ToNullableString(document["newValue"]),
        Reason = ToNullableString(document["reason"]),
    };

    public static List<BsonDocument> EventDocuments(IReadOnlyList<TicketEvent> events) =>
        events.Select(e => new BsonDocument
        {
            { Fields.Id, Id(e.Id) },
            { Fields.TicketId, Id(e.TicketId) },
            { Fields.Type, e.Type },
            { Fields.OccurredAt, Date(e.OccurredAt) },
            { Fields.Json, TicketJson.Serialize(e) },
            { Fields.Published, false },
            { Fields.PublishedAt, BsonNull.Value },
        }).ToList();

    public static TicketEvent ToEvent(BsonDocument document) => TicketJson.DeserializeEvent(document[Fields.Json].AsString);

    public static BsonDocument Pending(IReadOnlyList<BsonDocument> audit, IReadOnlyList<BsonDocument> events) => new()
    {
        { "audit", new BsonArray(audit) },
        { "events", new BsonArray(events) },
    };

    public static TicketFacts ToFacts(BsonDocument document) => new(
        Guid.Parse(document[Fields.Id].AsString),
        Enum.Parse<TicketStatus>(document[Fields.Status].AsString),
        Enum.Parse<TicketPriority>(document[Fields.Priority].AsString),
        ToNullableString(document.GetValue(Fields.Category, BsonNull.Value)),
        ToTime(document[Fields.CreatedAt])!.Value,
        ToTime(document.GetValue(Fields.FirstResponseAt, BsonNull.Value)),
        ToTime(document.GetValue(Fields.ResolvedAt, BsonNull.Value)),
        ToTime(document.GetValue(Fields.FirstResponseDueAt, BsonNull.Value)),
        ToTime(document.GetValue(Fields.ResolutionDueAt, BsonNull.Value)));

    public static BsonValue Date(DateTimeOffset? time) => time is { } t ? new BsonDateTime(t.UtcDateTime) : BsonNull.Value;

    private static BsonValue Nullable(string? value) => value is null ? BsonNull.Value : new BsonString(value);

    private static string? ToNullableString(BsonValue value) => value.IsBsonNull ? null : value.AsString;

    private static DateTimeOffset? ToTime(BsonValue value) =>
        value.IsBsonNull ? null : new DateTimeOffset(value.ToUniversalTime(), TimeSpan.Zero);
}
