using AspireTickets.Agents.Intelligence.Triage;
using AspireTickets.Domain.Taxonomy;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Tests.Intelligence;

public class TriageRulesTests
{
    private static readonly IReadOnlyList<string> Categories = TicketTaxonomy.DefaultCategories;

    [Theory]
    [InlineData("Checkout is down for all users", null, "incident", TicketPriority.Critical, "outage")]
    [InlineData("Sync wiped my folder", "We lost all data from last week", "bug", TicketPriority.Critical, "data-loss")]
    [InlineData("Possible XSS in comment field", null, "security", TicketPriority.Critical, "security")]
    [InlineData("I cannot log in since this morning", null, "account", TicketPriority.High, "cannot-log-in")]
    [InlineData("Refund for a double charge", "I was charged twice on my credit card", "billing", TicketPriority.Medium, "billing")]
    [InlineData("Please add dark mode", "It would be nice to have", "feature", TicketPriority.Low, "feature-request")]
    [InlineData("How do I export my tickets?", null, "question", TicketPriority.Low, "question")]
    public void Keywords_give_category_and_priority_hints(string title, string? body, string category, TicketPriority priority, string rule)
    {
        var verdict = TriageRules.Apply(title, body, Categories);

        Assert.Equal(category, verdict.Category);
        Assert.Equal(priority, verdict.Priority);
        Assert.Contains(rule, verdict.FiredRules);
        Assert.InRange(verdict.Confidence, 0.3, TriageRules.MaxConfidence);
    }

    [Fact]
    public void The_most_urgent_rule_sets_the_priority()
    {
        var verdict = TriageRules.Apply("How do I get back in? The site is down", null, Categories);

        Assert.Equal(TicketPriority.Critical, verdict.Priority);
        Assert.True(verdict.Confidence > 0.3, "two agreeing rules raise confidence a little");
        Assert.True(verdict.Confidence <= TriageRules.MaxConfidence);
    }

    [Fact]
    public void Categories_outside_the_taxonomy_are_never_emitted()
    {
        var verdict = TriageRules.Apply("Possible XSS vulnerability", null, ["bug", "question"]);

        Assert.Null(verdict.Category);
        Assert.Equal(TicketPriority.Critical, verdict.Priority);
    }

    [Fact]
    public void Nothing_matches_gives_no_verdict()
    {
        var verdict = TriageRules.Apply("Hello", "Just saying hi", Categories);

        Assert.Null(verdict.Category);
        Assert.Null(verdict.Priority);
        Assert.Equal(0, verdict.Confidence);
        Assert.Empty(verdict.FiredRules);
    }
}

public class TicketTriageTests
{
    [Fact]
    public void Without_enough_history_the_rules_answer()
    {
        var triage = TicketTriage.Train(
            [new TriageExample("crash", "error", "bug", TicketPriority.High), new TriageExample("how?", null, "question", TicketPriority.Low)],
            new TicketTaxonomy(), ct: TestContext.Current.CancellationToken);

        var verdict = triage.Triage("The service is down", "outage since 9:00");

        Assert.Null(triage.CategoryModel);
        Assert.Equal("rules", verdict.Source);
        Assert.Equal("incident", verdict.Category);
        Assert.Equal(TicketPriority.Critical, verdict.Priority);
        Assert.True(verdict.CategoryConfidence <= TriageRules.MaxConfidence);
        Assert.Contains("outage", verdict.Rationale, StringComparison.Ordinal);
    }

    [Fact]
    public void With_history_the_models_answer_within_the_taxonomy()
    {
        var history = TextClassifierTests.Separable(seed: 7, perLabel: 25)
            .Select(e => new TriageExample(e.Title, e.Body, e.Label, e.Label == "bug" ? TicketPriority.High : TicketPriority.Low))
            .ToList();
        var taxonomy = new TicketTaxonomy();

        var triage = TicketTriage.Train(history, taxonomy, ct: TestContext.Current.CancellationToken);
        var verdict = triage.Triage("crash with exception", "error stack trace broken");

        Assert.Equal("model", verdict.Source);
        Assert.Equal("bug", verdict.Category);
        Assert.Equal(TicketPriority.High, verdict.Priority);
        Assert.True(verdict.CategoryConfidence > 0.5);

        // A lead removes "bug" from the taxonomy: the same model must not emit it any more.
        taxonomy.Categories.Remove("bug");
        var after = triage.Triage("crash with exception", "error stack trace broken");
        Assert.NotNull(after.Category);
        Assert.Contains(after.Category, taxonomy.Categories);
    }

    [Fact]
    public void Triaging_many_at_once_answers_as_one_at_a_time()
    {
        var history = TextClassifierTests.Separable(seed: 9, perLabel: 25)
            .Select(e => new TriageExample(e.Title, e.Body, e.Label, e.Label == "bug" ? TicketPriority.High : TicketPriority.Low))
            .ToList();
        var triage = TicketTriage.Train(history, new TicketTaxonomy(), ct: TestContext.Current.CancellationToken);
        (string Title, string? Body)[] tickets =
        [
            ("crash with exception", "error stack trace broken"),
            ("please add an option", null),
            ("cannot log in, password reset fails", "the login page says error"),
            ("", ""),
        ];

        var many = triage.TriageMany(tickets);

        Assert.Equal(tickets.Length, many.Count);
        for (var i = 0; i < tickets.Length; i++)
        {
            var one = triage.Triage(tickets[i].Title, tickets[i].Body);
            Assert.Equal(one.Category, many[i].Category);
            Assert.Equal(one.Priority, many[i].Priority);
            Assert.Equal(one.CategoryConfidence, many[i].CategoryConfidence, 6);
            Assert.Equal(one.Rationale, many[i].Rationale);
        }
    }

    [Fact]
    public void Saved_triage_loads_with_both_models()
    {
        var history = TextClassifierTests.Separable(seed: 8, perLabel: 25)
            .Select(e => new TriageExample(e.Title, e.Body, e.Label, e.Label == "feature" ? TicketPriority.Low : TicketPriority.Medium))
            .ToList();
        var triage = TicketTriage.Train(history, new TicketTaxonomy(), ct: TestContext.Current.CancellationToken);
        using var stream = new MemoryStream();
        triage.Save(stream);
        stream.Position = 0;

        var loaded = TicketTriage.Load(stream, new TicketTaxonomy());

        var expected = triage.Triage("please add an option", "would be nice to allow");
        var actual = loaded.Triage("please add an option", "would be nice to allow");
        Assert.NotNull(loaded.CategoryModel);
        Assert.NotNull(loaded.PriorityModel);
        Assert.Equal(expected.Category, actual.Category);
        Assert.Equal(expected.Priority, actual.Priority);
        Assert.Equal(expected.CategoryConfidence, actual.CategoryConfidence, 5);
    }
}
