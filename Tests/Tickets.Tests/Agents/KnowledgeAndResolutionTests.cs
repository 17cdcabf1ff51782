using System.Text.RegularExpressions;
using AspireTickets.Agents.KnowledgeBase;
using AspireTickets.Agents.Resolution;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Tests.Agents;

public sealed partial class KnowledgeAndResolutionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Articles_are_chunked_at_headings_with_their_heading_path_and_code_fences_respected()
    {
        var article = new KnowledgeArticle
        {
            Title = "VPN guide",
            Body = "Intro text for everyone.\n\n# Setup\nInstall the client.\n\n## Proxy\nSet the proxy.\n```\n# not a heading\n```\n\n# Troubleshooting\nRestart the tunnel.\n",
        };

        var chunks = MarkdownChunker.Chunk(article);

        Assert.Equal(["VPN guide", "Setup", "Setup › Proxy", "Troubleshooting"], chunks.Select(c => c.Section));
        Assert.Contains("# not a heading", chunks[2].Text, StringComparison.Ordinal);
        Assert.All(chunks, c => Assert.Equal(article.Id, c.ArticleId));
        Assert.Equal(chunks.Select(c => c.Id).Distinct().Count(), chunks.Count);
        Assert.Equal(MarkdownChunker.ChunkId(article.Id, 1), chunks[1].Id);
    }

    [Fact]
    public void Passages_are_steps_and_sentences_without_greetings()
    {
        var passages = PassageSplitter.Split("Hi Sam, thanks for waiting.\n1. Clear the cache.\n2. Sign in again with the new password.\nThe reset link expires after 15 minutes. Older links fail.");
        Assert.Equal(["Clear the cache.", "Sign in again with the new password.", "The reset link expires after 15 minutes.", "Older links fail."], passages.Select(p => p.Text));
        Assert.True(passages[0].IsStep);
        Assert.False(passages[3].IsStep);
    }

    [Fact]
    public async Task Knowledge_sections_are_retrieved_and_replaced_on_update_and_gone_after_delete()
    {
        await using var app = await AgentsHarness.StartAsync();
        var article = await app.KnowledgeBase.SaveAsync(new KnowledgeArticle { Title = "Printing", Body = "# Printer offline\nPower-cycle the printer and re-add it.\n\n# Paper jam\nOpen tray 2." }, "kb:tests", Ct);
        Assert.Equal(2, app.KnowledgeBase.IndexedSections);
        Assert.Equal("Printer offline", app.KnowledgeBase.Search("printer shows offline", null, 1)[0].Entry.Section);

        article.Body = "# Printer offline\nPower-cycle the printer.";
        await app.KnowledgeBase.SaveAsync(article, "kb:tests", Ct);
        Assert.Equal(1, app.KnowledgeBase.IndexedSections);

        Assert.True(await app.KnowledgeBase.DeleteAsync(article.Id, Ct));
        Assert.Equal(0, app.KnowledgeBase.IndexedSections);
        Assert.Empty(app.KnowledgeBase.Search("printer offline", null, 3));
    }

    [Fact]
    public async Task A_suggestion_cites_every_passage_with_its_source()
    {
        await using var app = await AgentsHarness.StartAsync();
        await WorkflowTests.SeedHistoryAsync(app);
        var unrelated = await app.CreateResolvedAsync("Dark mode request", "Please add dark mode.", "Dark mode ships in version 5; enable it under Settings > Appearance.", category: "feature");
        var ticket = await app.CreateAsync("Password reset link does not work", "I clicked the reset link but I still cannot sign in.");

        var result = app.Get<ExtractiveResolver>().Suggest(ticket);

        var suggestion = Assert.IsType<SuggestedResolution>(result.Suggestion);
        var markers = StepMarker().Matches(suggestion.Text).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(1, suggestion.Citations.Count), markers);
        var resolved = app.Index.Corpus.Snapshot().Where(t => t.IsResolved).ToDictionary(t => t.Id.ToString());
        var article = (await app.KnowledgeBase.ListAsync(10, Ct)).Single();
        foreach (var citation in suggestion.Citations)
        {
            // Each excerpt is a passage of the source it names, quoted verbatim.
            Assert.Contains(citation.Excerpt, suggestion.Text, StringComparison.Ordinal);
            var source = citation.Kind == CitationKind.Ticket ? string.Join("\n", resolved[citation.SourceId].Resolution) : article.Body;
            Assert.Contains(citation.Excerpt, source, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(suggestion.Citations, c => c.SourceId == unrelated.Id.ToString());
        Assert.Contains(suggestion.Citations, c => c.Kind == CitationKind.Article && c.SourceId == article.Id.ToString());
    }

    [Fact]
    public async Task Resolution_answers_are_masked_before_they_are_quoted()
    {
        await using var app = await AgentsHarness.StartAsync();
        await app.CreateResolvedAsync("Cannot log in", "Login fails.", "1. Reset the password and send it to casey@example.com from the admin panel.");
        var ticket = await app.CreateAsync("Login fails", "I cannot log in.");

        var suggestion = app.Get<ExtractiveResolver>().Suggest(ticket).Suggestion!;

        Assert.DoesNotContain("casey@example.com", suggestion.Text, StringComparison.Ordinal);
        Assert.Contains("[EMAIL]", suggestion.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_similar_sources_there_is_no_suggestion()
    {
        await using var app = await AgentsHarness.StartAsync();
        var ticket = await app.CreateAsync("Printer offline", "The office printer shows offline.");
        Assert.Null(app.Get<ExtractiveResolver>().Suggest(ticket).Suggestion);
    }

    [GeneratedRegex(@"\[(\d+)\]")]
    private static partial Regex StepMarker();
}
