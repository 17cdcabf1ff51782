using AspireTickets.Domain.Events;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Tests.Events;

/// <summary>
/// Event data is written and read through one record per event type; these pin what readers get, including from
/// events of schema version 1 still on a log (the Api wrote <c>fields</c>, ingestion <c>changedFields</c>).
/// </summary>
public sealed class TicketEventDataTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(new[] { "title" }, true)]
    [InlineData(new[] { "status", "description" }, true)]
    [InlineData(new[] { "status" }, false)]
    [InlineData(new[] { "assignee", "labels" }, false)]
    public void An_update_says_it_changed_the_text_exactly_when_the_title_or_description_changed(string[] fields, bool textChanged)
    {
        var e = TicketEvent.Create(Guid.NewGuid(), Now, new TicketUpdated(fields));

        Assert.Equal(TicketEventTypes.Updated, e.Type);
        Assert.Equal(TicketEvent.CurrentSchemaVersion, e.SchemaVersion);
        var read = e.ReadData<TicketUpdated>();
        Assert.NotNull(read);
        Assert.Equal(fields, read.ChangedFields);
        Assert.Equal(textChanged, read.TextChanged);
        Assert.Contains($"\"textChanged\":{(textChanged ? "true" : "false")}", e.Data, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"fields":["title"],"textChanged":true}""", true)]
    [InlineData("""{"fields":["assignee"],"textChanged":false}""", false)]
    [InlineData("""{"source":"jira","title":"[masked]","changedFields":["description","priority"]}""", true)]
    [InlineData("""{"source":"zendesk","changedFields":["status"]}""", false)]
    public void Updates_of_schema_version_1_read_the_same(string data, bool textChanged)
    {
        var e = TicketEvent.Create(TicketEventTypes.Updated, Guid.NewGuid(), Now, data) with { SchemaVersion = 1 };

        Assert.Equal(textChanged, e.ReadData<TicketUpdated>()?.TextChanged);
        Assert.NotEmpty(e.ReadChangedFields());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData(null)]
    public void Unreadable_data_reads_as_absent(string? data)
    {
        var e = TicketEvent.Create(TicketEventTypes.Updated, Guid.NewGuid(), Now, data);

        Assert.Null(e.ReadData<TicketUpdated>());
        Assert.Empty(e.ReadChangedFields());
    }

    [Fact]
    public void Data_is_read_only_as_the_type_it_was_written_as()
    {
        var e = TicketEvent.Create(Guid.NewGuid(), Now, new TicketArchived(["archived"]));

        Assert.Equal(TicketEventTypes.Archived, e.Type);
        Assert.Null(e.ReadData<TicketUpdated>());
        Assert.Equal(["archived"], e.ReadChangedFields());
    }

    [Fact]
    public void Analyses_and_escalations_round_trip_with_their_enums_as_names()
    {
        var run = Guid.NewGuid();
        var analyzed = TicketEvent.Create(Guid.NewGuid(), Now, new TicketAnalyzed(run, "billing", TicketPriority.High, 0.91, null, Suggestion: true, QualityPassed: true));
        var escalated = TicketEvent.Create(Guid.NewGuid(), Now, new TicketEscalated(2, ["lead"], "resolution due passed", Now, TicketPriority.Critical, TicketPriority.High));

        Assert.Equal(new TicketAnalyzed(run, "billing", TicketPriority.High, 0.91, null, true, true), analyzed.ReadData<TicketAnalyzed>());
        Assert.Contains("\"priority\":\"High\"", analyzed.Data, StringComparison.Ordinal);
        var level = escalated.ReadData<TicketEscalated>();
        Assert.NotNull(level);
        Assert.Equal((2, TicketPriority.Critical, TicketPriority.High), (level.Level, level.Priority, level.PreviousPriority));
        Assert.Equal(["lead"], level.Audience);
    }

    [Fact]
    public void Created_events_from_the_api_carry_no_personal_data()
    {
        var ticket = new Ticket { Source = "api", Title = "Call me at +49 30 1234567", Description = "dana@example.com", Reporter = new Person("Dana", "dana@example.com") };

        var e = TicketEvent.Create(ticket.Id, Now, new TicketCreated(TicketEventFacts.Of(ticket)));

        Assert.DoesNotContain("1234567", e.Data, StringComparison.Ordinal);
        Assert.DoesNotContain("dana", e.Data, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("api", e.ReadData<TicketCreated>()?.Facts.Source);
    }
}
