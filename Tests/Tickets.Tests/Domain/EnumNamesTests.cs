using AspireTickets.Domain.Text;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Tests.Domain;

public sealed class EnumNamesTests
{
    [Theory]
    [InlineData("High", TicketPriority.High)]
    [InlineData("critical", TicketPriority.Critical)]
    [InlineData("LOW", TicketPriority.Low)]
    public void A_name_in_any_case_is_read(string text, TicketPriority expected)
    {
        Assert.True(EnumNames.TryParse<TicketPriority>(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("-1")]
    [InlineData("1")]
    [InlineData(" 2")]
    [InlineData("+3")]
    [InlineData("99")]
    [InlineData("High,Low")]
    [InlineData("Urgent")]
    public void Numbers_lists_and_unknown_names_are_not(string? text)
    {
        Assert.False(EnumNames.TryParse<TicketPriority>(text, out _));
    }
}
