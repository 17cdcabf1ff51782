using AspireTickets.Web.Components.Pages;

namespace AspireTickets.Tests.Web;

/// <summary>The ticket forms keep offering the category a ticket is filed under after the taxonomy dropped it.</summary>
public sealed class RetiredCategoryTests
{
    private static readonly string[] Categories = ["bug", "question"];

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("bug", null)]
    [InlineData("Question", null)]
    [InlineData("billing", "billing")]
    public void Only_a_category_the_taxonomy_no_longer_has_is_retired(string? category, string? retired) =>
        Assert.Equal(retired, TicketDetail.RetiredCategory(category, Categories));
}
