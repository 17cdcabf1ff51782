using AspireTickets.Domain.Events;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;
using AspireTickets.Infrastructure.Storage.Mongo;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace AspireTickets.Tests.Storage;

/// <summary>The MongoDB adapter's queries and document mapping, checked offline (no server needed).</summary>
public class MongoTicketQueryBuilderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, TicketQuery, string> FilterCases() => new()
    {
        { "default", new TicketQuery(), """{ "archived" : false }""" },
        { "include archived", new TicketQuery { IncludeArchived = true }, "{ }" },
        { "archived only", new TicketQuery { ArchivedOnly = true, IncludeArchived = true }, """{ "archived" : true }""" },
        {
            "two filters",
            new TicketQuery { Statuses = [TicketStatus.New], Priorities = [TicketPriority.High] },
            """{ "archived" : false, "status" : "New", "priority" : "High" }"""
        },
        {
            "several values, de-duplicated and ordered",
            new TicketQuery { Statuses = [TicketStatus.Waiting, TicketStatus.New, TicketStatus.Waiting], Priorities = [TicketPriority.Critical, TicketPriority.Low] },
            """{ "archived" : false, "status" : { "$in" : ["New", "Waiting"] }, "priority" : { "$in" : ["Low", "Critical"] } }"""
        },
        {
            "category, assignee and a label compared in lower case",
            new TicketQuery { Category = "network", Assignee = "alice", Label = " VPN " },
            """{ "archived" : false, "category" : "network", "assignee" : "alice", "labels" : "vpn" }"""
        },
        {
            "created range, from inclusive and to exclusive",
            new TicketQuery { CreatedFrom = T0, CreatedTo = new DateTimeOffset(2026, 3, 2, 2, 0, 0, TimeSpan.FromHours(2)) },
            """{ "archived" : false, "createdAt" : { "$gte" : { "$date" : "2026-03-01T00:00:00Z" }, "$lt" : { "$date" : "2026-03-02T00:00:00Z" } } }"""
        },
        {
            "text: every word a quoted phrase, syntax dropped",
            new TicketQuery { Text = "\"Printer* -toner NEAR(tray) \\ OR" },
            """{ "$text" : { "$search" : "\"printer\" \"toner\" \"near\" \"tray\" \"or\"" }, "archived" : false }"""
        },
        { "text without words does not filter", new TicketQuery { Text = "*** \"\" ( ) -" }, """{ "archived" : false }""" },
    };

    [Theory]
    [MemberData(nameof(FilterCases))]
    public void Filters_render_to_the_expected_bson(string because, TicketQuery query, string expected)
    {
        var rendered = MongoTicketQueryBuilder.Render(MongoTicketQueryBuilder.BuildFilter(query));

        Assert.True(BsonDocument.Parse(expected) == rendered, $"{because}: {rendered}");
    }

    [Theory]
    [InlineData(TicketSortField.Created, true, """{ "createdAt" : -1, "_id" : -1 }""")]
    [InlineData(TicketSortField.Created, false, """{ "createdAt" : 1, "_id" : 1 }""")]
    [InlineData(TicketSortField.Updated, true, """{ "updatedAt" : -1, "_id" : -1 }""")]
    [InlineData(TicketSortField.Priority, true, """{ "priorityOrder" : -1, "_id" : -1 }""")]
    [InlineData(TicketSortField.Status, false, """{ "statusOrder" : 1, "_id" : 1 }""")]
    public void Sorts_use_the_numeric_orders_and_the_id_as_tiebreak(TicketSortField field, bool descending, string expected)
    {
        var rendered = MongoTicketQueryBuilder.Render(MongoTicketQueryBuilder.BuildSort(new TicketQuery { SortBy = field, Descending = descending }));

        Assert.Equal(BsonDocument.Parse(expected), rendered);
    }

    [Fact]
    public void Paging_becomes_skip_and_limit_and_bad_pages_are_refused()
    {
        var query = MongoTicketQueryBuilder.Build(new TicketQuery { Page = 3, PageSize = 50 });

        Assert.Equal((100, 50), (query.Skip, query.Limit));
        Assert.Throws<ArgumentOutOfRangeException>(() => MongoTicketQueryBuilder.Build(new TicketQuery { Page = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => MongoTicketQueryBuilder.Build(new TicketQuery { PageSize = TicketQuery.MaxPageSize + 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => MongoTicketQueryBuilder.Build(new TicketQuery { Page = int.MaxValue, PageSize = 200 }));
    }

    [Fact]
    public void A_ticket_document_round_trips_through_bson_and_carries_the_query_fields()
    {
        var ticket = TicketSamples.Full();
        ticket.Version = 3;
        ticket.Labels = ["Printer", "floor-3"];
        ticket.ArchivedAt = T0;

        var document = MongoTicketDocuments.NewTicket(ticket, pending: null);
        var overTheWire = BsonSerializer.Deserialize<BsonDocument>(document.ToBson());
        var loaded = MongoTicketDocuments.ToTicket(overTheWire);

        Assert.Equal(TicketSamples.Json(ticket, 3), TicketSamples.Json(loaded, loaded.Version));
        Assert.Equal(3, loaded.Version);
        Assert.Equal(ticket.Id.ToString("D"), overTheWire["_id"].AsString);
        Assert.Equal("email:<abc@example.test>", overTheWire["sourceKey"].AsString);
        Assert.Equal(("Triaged", 1, "High", 2), (overTheWire["status"].AsString, overTheWire["statusOrder"].AsInt32, overTheWire["priority"].AsString, overTheWire["priorityOrder"].AsInt32));
        Assert.Equal(["printer", "floor-3"], overTheWire["labels"].AsBsonArray.Select(v => v.AsString));
        Assert.Equal(ticket.CreatedAt.UtcDateTime.AddTicks(-(ticket.CreatedAt.UtcDateTime.Ticks % TimeSpan.TicksPerMillisecond)), overTheWire["createdAt"].ToUniversalTime());
        Assert.True(overTheWire["archived"].AsBoolean);
        Assert.False(overTheWire.Contains("pending"));
        Assert.Equal("Can't print – Größe A4 📄", overTheWire["ticket"]["title"].AsString);
    }

    [Fact]
    public void A_ticket_without_source_key_has_no_source_key_field()
    {
        var document = MongoTicketDocuments.NewTicket(new Ticket { SourceKey = " " }, pending: null);

        Assert.False(document.Contains("sourceKey"));
    }

    [Fact]
    public void Audit_entries_and_events_round_trip_and_keep_their_order_keys()
    {
        var ticketId = Guid.CreateVersion7();
        AuditEntry[] entries =
        [
            new() { TicketId = ticketId, At = T0, Actor = "a", Field = "status", OldValue = "New", NewValue = "Triaged", Reason = "why" },
            new() { TicketId = ticketId, At = T0, Actor = "a", Field = "priority" },
        ];
        var ticketEvent = TicketEvent.Create(TicketEventTypes.Updated, ticketId, T0, """{"x":1}""") with { TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" };

        var audit = MongoTicketDocuments.AuditDocuments(entries, version: 4);
        var events = MongoTicketDocuments.EventDocuments([ticketEvent]);

        Assert.Equal(entries, audit.Select(MongoTicketDocuments.ToAuditEntry));
        Assert.Equal([(4L, 0), (4L, 1)], audit.Select(a => (a["version"].AsInt64, a["index"].AsInt32)));
        Assert.Equal(ticketEvent, MongoTicketDocuments.ToEvent(events[0]));
        Assert.Equal((ticketEvent.Id.ToString("D"), false), (events[0]["_id"].AsString, events[0]["published"].AsBoolean));
    }
}
