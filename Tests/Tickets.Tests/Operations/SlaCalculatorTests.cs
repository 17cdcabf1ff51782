using AspireTickets.Domain.Sla;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Tests.Operations;

public sealed class SlaCalculatorTests
{
    private static readonly DateTimeOffset Monday9 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private sealed class Policies(params SlaPolicy[] policies) : ISlaPolicySource
    {
        public Task<IReadOnlyList<SlaPolicy>> GetPoliciesAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<SlaPolicy>>(policies);
    }

    [Theory]
    [InlineData(TicketPriority.Critical, 0.25, 4)]
    [InlineData(TicketPriority.High, 1, 24)]
    [InlineData(TicketPriority.Medium, 4, 72)]
    [InlineData(TicketPriority.Low, 24, 168)]
    public async Task Uses_the_default_targets_around_the_clock_without_stored_policies(TicketPriority priority, double responseHours, double resolutionHours)
    {
        var ticket = new Ticket { Priority = priority, CreatedAt = Monday9 };
        var due = await new SlaCalculator(new Policies()).ComputeAsync(ticket, TestContext.Current.CancellationToken);
        Assert.Equal(Monday9.AddHours(responseHours), due.FirstResponseDueAt);
        Assert.Equal(Monday9.AddHours(resolutionHours), due.ResolutionDueAt);
    }

    [Fact]
    public void A_category_policy_wins_over_the_priority_policy()
    {
        var general = new SlaPolicy { Priority = TicketPriority.High, FirstResponse = TimeSpan.FromHours(2), Resolution = TimeSpan.FromHours(8) };
        var billing = new SlaPolicy { Priority = TicketPriority.High, Category = "billing", FirstResponse = TimeSpan.FromMinutes(30), Resolution = TimeSpan.FromHours(4) };
        SlaPolicy[] stored = [general, billing];

        Assert.Same(billing, SlaCalculator.Select(stored, TicketPriority.High, "Billing"));
        Assert.Same(general, SlaCalculator.Select(stored, TicketPriority.High, "bug"));
        Assert.Same(general, SlaCalculator.Select(stored, TicketPriority.High, null));
        Assert.Equal(TimeSpan.FromDays(3), SlaCalculator.Select(stored, TicketPriority.Medium, "billing").Resolution);
    }

    [Fact]
    public async Task Counts_only_working_time_with_a_calendar_and_audits_a_recomputation()
    {
        var office = new BusinessCalendar { TimeZone = "UTC" };
        var calculator = new SlaCalculator(new Policies(
            new SlaPolicy { Priority = TicketPriority.Critical, FirstResponse = TimeSpan.FromMinutes(15), Resolution = TimeSpan.FromHours(4), Calendar = office },
            new SlaPolicy { Priority = TicketPriority.Low, FirstResponse = TimeSpan.FromHours(8), Resolution = TimeSpan.FromHours(40), Calendar = office }));
        var friday = new DateTimeOffset(2026, 3, 6, 16, 55, 0, TimeSpan.Zero);
        var ticket = new Ticket { Priority = TicketPriority.Low, CreatedAt = friday };
        await calculator.ApplyToNewAsync(ticket, TestContext.Current.CancellationToken);
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 16, 55, 0, TimeSpan.Zero), ticket.Sla.FirstResponseDueAt);
        Assert.Equal(new DateTimeOffset(2026, 3, 13, 16, 55, 0, TimeSpan.Zero), ticket.Sla.ResolutionDueAt);

        var editor = new TicketEditor(ticket, "lead", friday.AddMinutes(1)).SetPriority(TicketPriority.Critical);
        await calculator.ApplyAsync(editor, TestContext.Current.CancellationToken);
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 9, 10, 0, TimeSpan.Zero), ticket.Sla.FirstResponseDueAt);
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 12, 55, 0, TimeSpan.Zero), ticket.Sla.ResolutionDueAt);
        Assert.Equal(["priority", "sla.firstResponseDueAt", "sla.resolutionDueAt"], editor.Audit.Select(a => a.Field));
    }
}
