using AspireTickets.Agents.Intelligence.Similarity;

namespace AspireTickets.Tests.Intelligence;

public class DuplicateFinderTests
{
    private static readonly (string Title, string Body)[] Tickets =
    [
        ("Crash when opening a PDF attachment", "The mail client crashes every time I open a PDF attached to a message."),
        ("Dark theme for the settings page", "Please add a dark theme; the settings page is very bright."),
        ("Cannot import contacts from CSV", "Importing a CSV export of my contacts fails with an unknown format error."),
        ("Bookmarks toolbar disappears", "After the last update the bookmarks toolbar is gone after every restart."),
    ];

    [Fact]
    public async Task Finds_the_duplicate_first_and_scores_an_identical_report_above_the_threshold()
    {
        var ct = TestContext.Current.CancellationToken;
        var finder = new DuplicateFinder(new InMemoryVectorIndex(1024));
        var ids = new List<Guid>();
        foreach (var (title, body) in Tickets)
        {
            var id = Guid.NewGuid();
            ids.Add(id);
            await finder.UpsertAsync(id, title, body, ct);
        }

        await finder.RefreshEmbeddingsAsync(ct);

        var reworded = await finder.FindAsync("Mail crashes on PDF attachments", "Opening an attached PDF makes the mail client crash.", cancellationToken: ct);
        var identical = await finder.FindAsync(Tickets[2].Title, Tickets[2].Body, topK: 1, cancellationToken: ct);
        var unrelated = await finder.FindAsync("Printer margins", "Page margins are wrong when printing labels.", topK: 1, cancellationToken: ct);

        Assert.Equal(ids[0], reworded[0].Id);
        Assert.True(reworded[0].Score > reworded[1].Score);
        Assert.Equal(ids[2], identical[0].Id);
        Assert.True(identical[0].IsLikelyDuplicate(finder.Options.Threshold), $"score {identical[0].Score:0.000}");
        Assert.False(unrelated[0].IsLikelyDuplicate(finder.Options.Threshold), $"score {unrelated[0].Score:0.000}");
        Assert.All(reworded, m => Assert.InRange(m.Score, 0, 1));
    }

    [Fact]
    public async Task Removed_and_excluded_tickets_are_not_returned()
    {
        var ct = TestContext.Current.CancellationToken;
        var finder = new DuplicateFinder(new InMemoryVectorIndex(1024));
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        var third = Guid.NewGuid();
        await finder.UpsertAsync(first, Tickets[0].Title, Tickets[0].Body, ct);
        await finder.UpsertAsync(second, Tickets[1].Title, Tickets[1].Body, ct);
        await finder.UpsertAsync(third, Tickets[3].Title, Tickets[3].Body, ct);

        await finder.RemoveAsync(first, ct);
        var matches = await finder.FindAsync(Tickets[0].Title, Tickets[0].Body, exclude: [second], cancellationToken: ct);

        Assert.Equal(2, finder.Count);
        Assert.Equal([third], matches.Select(m => m.Id));
    }
}
