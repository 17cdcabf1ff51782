using AspireTickets.Domain.Sla;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Tests.Operations;

public sealed class EscalationLadderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly EscalationLadder Ladder = new();

    // First response due after 1 h, resolution after 8 h, admins at 8 h + 4 h.
    private static int Level(DateTimeOffset now, DateTimeOffset? firstResponseAt = null, TicketStatus status = TicketStatus.InProgress) =>
        Ladder.LevelAt(status, T0, firstResponseAt, T0.AddHours(1), T0.AddHours(8), now);

    [Fact]
    public void Levels_follow_the_due_times()
    {
        Assert.Equal(0, Level(T0.AddHours(1)));
        Assert.Equal(1, Level(T0.AddHours(1).AddTicks(1)));
        Assert.Equal(1, Level(T0.AddHours(8)));
        Assert.Equal(2, Level(T0.AddHours(8).AddMinutes(1)));
        Assert.Equal(2, Level(T0.AddHours(12)));
        Assert.Equal(3, Level(T0.AddHours(12).AddMinutes(1)));
    }

    [Fact]
    public void An_answered_ticket_waits_for_its_resolution_due_time()
    {
        var answered = T0.AddMinutes(30);
        Assert.Equal(0, Level(T0.AddHours(5), answered));
        Assert.Equal(2, Level(T0.AddHours(8).AddMinutes(1), answered));
    }

    [Theory]
    [InlineData(TicketStatus.Resolved)]
    [InlineData(TicketStatus.Closed)]
    [InlineData(TicketStatus.Duplicate)]
    public void Tickets_that_are_not_open_never_escalate(TicketStatus status) =>
        Assert.Equal(0, Level(T0.AddDays(10), status: status));

    [Fact]
    public void The_near_window_moves_every_level_earlier()
    {
        var near = new EscalationLadder { NearWindow = TimeSpan.FromMinutes(15) };
        Assert.Equal(0, near.LevelAt(TicketStatus.New, T0, null, T0.AddHours(1), T0.AddHours(8), T0.AddMinutes(45)));
        Assert.Equal(1, near.LevelAt(TicketStatus.New, T0, null, T0.AddHours(1), T0.AddHours(8), T0.AddMinutes(46)));
        Assert.Equal(2, near.LevelAt(TicketStatus.New, T0, null, T0.AddHours(1), T0.AddHours(8), T0.AddHours(7).AddMinutes(46)));
    }

    [Fact]
    public void Raising_the_priority_stops_at_critical()
    {
        Assert.Equal(TicketPriority.Medium, EscalationLadder.Raise(TicketPriority.Low));
        Assert.Equal(TicketPriority.Critical, EscalationLadder.Raise(TicketPriority.High));
        Assert.Equal(TicketPriority.Critical, EscalationLadder.Raise(TicketPriority.Critical));
    }
}
