using AspireTickets.Domain.Taxonomy;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Tests.Domain;

public class TicketLifecycleTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(TicketStatus.New, TicketStatus.Triaged)]
    [InlineData(TicketStatus.Triaged, TicketStatus.InProgress)]
    [InlineData(TicketStatus.InProgress, TicketStatus.Waiting)]
    [InlineData(TicketStatus.Waiting, TicketStatus.InProgress)]
    [InlineData(TicketStatus.InProgress, TicketStatus.Resolved)]
    [InlineData(TicketStatus.Resolved, TicketStatus.Closed)]
    [InlineData(TicketStatus.Resolved, TicketStatus.InProgress)]
    [InlineData(TicketStatus.New, TicketStatus.Duplicate)]
    public void Allowed_transitions_are_accepted(TicketStatus from, TicketStatus to) =>
        Assert.True(TicketLifecycle.CanMove(from, to));

    [Theory]
    [InlineData(TicketStatus.Closed, TicketStatus.New)]
    [InlineData(TicketStatus.Resolved, TicketStatus.Waiting)]
    [InlineData(TicketStatus.InProgress, TicketStatus.New)]
    [InlineData(TicketStatus.Duplicate, TicketStatus.Resolved)]
    [InlineData(TicketStatus.Waiting, TicketStatus.Triaged)]
    public void Forbidden_transitions_are_refused(TicketStatus from, TicketStatus to)
    {
        Assert.False(TicketLifecycle.CanMove(from, to));
        var ticket = new Ticket { Status = from };
        var error = Assert.Throws<TicketRuleException>(() => new TicketEditor(ticket, "alice", Now).SetStatus(to));
        Assert.Equal("status", error.Field);
        Assert.Equal(from, ticket.Status);
    }

    [Fact]
    public void Resolving_sets_resolved_time_and_reopening_clears_it()
    {
        var ticket = new Ticket { Status = TicketStatus.InProgress };
        new TicketEditor(ticket, "alice", Now).SetStatus(TicketStatus.Resolved);
        Assert.Equal(Now, ticket.ResolvedAt);

        var editor = new TicketEditor(ticket, "bob", Now.AddHours(1)).SetStatus(TicketStatus.InProgress);
        Assert.Null(ticket.ResolvedAt);
        Assert.Contains(editor.Audit, a => a.Field == "resolvedAt" && a.NewValue is null);
    }

    [Fact]
    public void Each_changed_field_yields_one_audit_entry_and_unchanged_fields_none()
    {
        var ticket = new Ticket { Title = "Printer on fire", Priority = TicketPriority.Low, Category = "incident" };
        var editor = new TicketEditor(ticket, "alice", Now, "customer called")
            .SetTitle("Printer on fire")
            .SetPriority(TicketPriority.Critical)
            .SetCategory("incident", new TicketTaxonomy())
            .SetAssignee("bob");

        Assert.Equal(2, editor.Audit.Count);
        var priority = Assert.Single(editor.Audit, a => a.Field == "priority");
        Assert.Equal(("Low", "Critical", "alice", "customer called"), (priority.OldValue, priority.NewValue, priority.Actor, priority.Reason));
        Assert.Single(editor.Audit, a => a.Field == "assignee" && a.OldValue is null && a.NewValue == "bob");
    }

    [Fact]
    public void Categories_outside_the_taxonomy_are_refused()
    {
        var ticket = new Ticket();
        var error = Assert.Throws<TicketRuleException>(() => new TicketEditor(ticket, "alice", Now).SetCategory("astrology", new TicketTaxonomy()));
        Assert.Equal("category", error.Field);
        Assert.Null(ticket.Category);
    }

    [Fact]
    public void A_category_the_taxonomy_dropped_stays_on_its_tickets_but_none_moves_into_it()
    {
        var taxonomy = new TicketTaxonomy();
        taxonomy.Categories.Remove("billing");
        var filed = new Ticket { Category = "billing" };

        // A full edit sends the current category back with the other fields: that is no change.
        var editor = new TicketEditor(filed, "alice", Now).SetCategory("billing", taxonomy).SetTitle("Refund still missing");

        Assert.Equal("billing", filed.Category);
        Assert.DoesNotContain(editor.Audit, a => a.Field == "category");
        var moved = new Ticket { Category = "incident" };
        var error = Assert.Throws<TicketRuleException>(() => new TicketEditor(moved, "alice", Now).SetCategory("billing", taxonomy));
        Assert.Equal("category", error.Field);
        Assert.Equal("incident", moved.Category);
    }

    [Fact]
    public void First_public_answer_by_staff_sets_first_response_but_reporter_comments_do_not()
    {
        var ticket = new Ticket { Reporter = new Person("Carol", "carol@example.com") };
        new TicketEditor(ticket, "carol@example.com", Now).AddComment(new TicketComment { Author = "carol@example.com", Text = "Any news?" });
        Assert.Null(ticket.FirstResponseAt);

        new TicketEditor(ticket, "alice", Now.AddMinutes(5)).AddComment(new TicketComment { Author = "alice", Text = "Internal note", IsPublic = false });
        Assert.Null(ticket.FirstResponseAt);

        new TicketEditor(ticket, "alice", Now.AddMinutes(7)).AddComment(new TicketComment { Author = "alice", Text = "Looking into it." });
        Assert.Equal(Now.AddMinutes(7), ticket.FirstResponseAt);
    }
}
