using System.Net;
using AspireTickets.Domain.Tickets;
using AspireTickets.Web.Components.Shared;
using Bunit;

namespace AspireTickets.Tests.Web;

public sealed class SuggestionPanelTests : IAsyncDisposable
{
    private readonly WebTestContext _ctx = new();
    private readonly Ticket _ticket = new()
    {
        Title = "Reset link missing",
        Analysis = new TicketAnalysis
        {
            Confidence = 0.8,
            Suggestion = new SuggestedResolution
            {
                Text = "Check the spam folder.",
                Citations = [new Citation(CitationKind.Article, "kb-42", "Mail delivery", "Reset mails may land in spam."), new Citation(CitationKind.Ticket, "0199aaaa-0000-7000-8000-000000000001", null, "Found in spam.")],
            },
        },
    };

    private Ticket Reviewed(SuggestionState state, string? text = null)
    {
        var copy = new Ticket
        {
            Id = _ticket.Id,
            Title = _ticket.Title,
            Analysis = new TicketAnalysis { Suggestion = new SuggestedResolution { Text = text ?? _ticket.Analysis!.Suggestion!.Text, State = state, ReviewedBy = "pat" } },
        };
        return copy;
    }

    [Fact]
    public void Citations_link_to_the_cited_article_and_ticket()
    {
        var panel = _ctx.Render<SuggestionPanel>(p => p.Add(x => x.Ticket, _ticket));

        var links = panel.FindAll("[data-testid=citation]").Select(a => a.GetAttribute("href")).ToList();

        Assert.Equal(["/kb/kb-42", "/tickets/0199aaaa-0000-7000-8000-000000000001"], links);
    }

    [Fact]
    public void Approve_posts_the_verdict_and_hands_back_the_updated_ticket()
    {
        _ctx.Api.On(HttpMethod.Post, $"/api/tickets/{_ticket.Id}/suggestion/approve", Reviewed(SuggestionState.Approved));
        Ticket? changed = null;
        var panel = _ctx.Render<SuggestionPanel>(p => p.Add(x => x.Ticket, _ticket).Add(x => x.OnChanged, t => changed = t));

        panel.FindAll("button").Single(b => b.TextContent.Contains("Approve", StringComparison.Ordinal)).Click();

        panel.WaitForAssertion(() => Assert.NotNull(changed));
        Assert.Equal(SuggestionState.Approved, changed!.Analysis!.Suggestion!.State);
        var request = Assert.Single(_ctx.Api.Requests);
        Assert.True(request.Json.GetProperty("postAsReply").GetBoolean());
    }

    [Fact]
    public void Edit_sends_the_reviewers_text()
    {
        _ctx.Api.On(HttpMethod.Post, $"/api/tickets/{_ticket.Id}/suggestion/edit", r => (HttpStatusCode.OK, Reviewed(SuggestionState.Edited, r.Json.GetProperty("text").GetString())));
        Ticket? changed = null;
        var panel = _ctx.Render<SuggestionPanel>(p => p.Add(x => x.Ticket, _ticket).Add(x => x.OnChanged, t => changed = t));

        panel.FindAll("button").Single(b => b.TextContent.Trim() == "Edit").Click();
        panel.Find("#suggestion-edit-text").Change("Check spam; we re-sent the link.");
        panel.FindAll("button").Single(b => b.TextContent.Contains("Save and approve", StringComparison.Ordinal)).Click();

        panel.WaitForAssertion(() => Assert.NotNull(changed));
        Assert.Equal("Check spam; we re-sent the link.", Assert.Single(_ctx.Api.Requests).Json.GetProperty("text").GetString());
        Assert.Equal(SuggestionState.Edited, changed!.Analysis!.Suggestion!.State);
    }

    [Fact]
    public void Reject_shows_the_apis_reason_error_under_the_field_then_succeeds_with_a_reason()
    {
        _ctx.Api.On(HttpMethod.Post, $"/api/tickets/{_ticket.Id}/suggestion/reject", r =>
            string.IsNullOrWhiteSpace(r.Json.GetProperty("reason").GetString())
                ? (HttpStatusCode.BadRequest, ApiStub.ValidationProblem("reason", "Say why the suggestion is rejected."))
                : (HttpStatusCode.OK, Reviewed(SuggestionState.Rejected)));
        Ticket? changed = null;
        var panel = _ctx.Render<SuggestionPanel>(p => p.Add(x => x.Ticket, _ticket).Add(x => x.OnChanged, t => changed = t));

        panel.FindAll("button").Single(b => b.TextContent.Trim() == "Reject").Click();
        panel.FindAll("button").Single(b => b.TextContent.Contains("Reject suggestion", StringComparison.Ordinal)).Click();

        panel.WaitForAssertion(() => Assert.Contains("Say why the suggestion is rejected.", panel.Markup, StringComparison.Ordinal));
        Assert.Null(changed);

        panel.Find("#suggestion-reject-reason").Change("It is a server outage, not a mail filter.");
        panel.FindAll("button").Single(b => b.TextContent.Contains("Reject suggestion", StringComparison.Ordinal)).Click();

        panel.WaitForAssertion(() => Assert.NotNull(changed));
        Assert.Equal("It is a server outage, not a mail filter.", _ctx.Api.Requests.Last().Json.GetProperty("reason").GetString());
    }

    [Fact]
    public void A_reviewed_suggestion_offers_no_more_verdicts()
    {
        var panel = _ctx.Render<SuggestionPanel>(p => p.Add(x => x.Ticket, Reviewed(SuggestionState.Approved)));

        Assert.DoesNotContain(panel.FindAll("button"), b => b.TextContent.Contains("Approve", StringComparison.Ordinal));
        Assert.Contains("Approved by pat", panel.Markup, StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync() => _ctx.DisposeAsync();
}
