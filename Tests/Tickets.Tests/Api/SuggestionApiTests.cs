using System.Net;
using System.Net.Http.Json;
using AspireTickets.Api.Model;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;
using Microsoft.Extensions.DependencyInjection;

namespace AspireTickets.Tests.Api;

public sealed class SuggestionApiTests : ApiTestBase
{
    /// <summary>A ticket with a proposed suggestion, as the agents' workflow leaves it.</summary>
    private async Task<Ticket> AnalysedTicketAsync()
    {
        var created = await (await Client.PostAsJsonAsync("/api/tickets", new { title = "Reset e-mail missing", description = "No reset e-mail." }, Ct)).ReadAsync<Ticket>();
        var store = App.Services.GetRequiredService<ITicketStore>();
        var ticket = (await store.GetAsync(created.Id, Ct))!;
        var editor = new TicketEditor(ticket, "agents", App.Time.GetUtcNow());
        editor.SetAnalysis(new TicketAnalysis
        {
            Category = "account",
            Confidence = 0.82,
            ModelVersion = "test-1",
            Suggestion = new SuggestedResolution { Text = "Check the spam folder.", Citations = [new Citation(CitationKind.Article, "kb-1", null, "Spam")] },
        });
        await store.UpdateAsync(ticket, ticket.Version, new TicketChanges(editor.Audit, []), Ct);
        return ticket;
    }

    private async Task<IReadOnlyList<SuggestionFeedback>> FeedbackAsync(Guid id) =>
        await App.Services.GetRequiredService<IDocumentStore>().Collection<SuggestionFeedback>("feedback").ListAsync(id.ToString(), cancellationToken: Ct);

    [Fact]
    public async Task Approve_marks_the_suggestion_sends_it_as_reply_and_records_feedback_and_audit()
    {
        var ticket = await AnalysedTicketAsync();

        var response = await Client.PostAsJsonAsync($"/api/tickets/{ticket.Id}/suggestion/approve", new { postAsReply = true }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var approved = await response.ReadAsync<Ticket>();
        Assert.Equal(SuggestionState.Approved, approved.Analysis!.Suggestion!.State);
        Assert.Equal("api:tests", approved.Analysis.Suggestion.ReviewedBy);
        Assert.Equal("Check the spam folder.", Assert.Single(approved.Comments).Text);
        Assert.True(approved.Comments[0].IsPublic);
        var audit = await Client.GetFromJsonAsync<AuditEntry[]>($"/api/tickets/{ticket.Id}/audit", TicketsAppFactory.Json, Ct);
        Assert.Contains(audit!, a => a is { Field: "suggestion", OldValue: "Proposed", NewValue: "Approved" });
        var feedback = Assert.Single(await FeedbackAsync(ticket.Id));
        Assert.Equal((SuggestionState.Approved, "Check the spam folder.", "test-1"), (feedback.Verdict, feedback.FinalText, feedback.ModelVersion));
    }

    [Fact]
    public async Task Edit_keeps_the_proposal_and_the_final_text_in_the_feedback()
    {
        var ticket = await AnalysedTicketAsync();

        var response = await Client.PostAsJsonAsync($"/api/tickets/{ticket.Id}/suggestion/edit", new { text = "Check spam; we re-sent it.", postAsReply = false }, Ct);

        var edited = await response.ReadAsync<Ticket>();
        Assert.Equal((SuggestionState.Edited, "Check spam; we re-sent it."), (edited.Analysis!.Suggestion!.State, edited.Analysis.Suggestion.Text));
        Assert.Empty(edited.Comments);
        var feedback = Assert.Single(await FeedbackAsync(ticket.Id));
        Assert.Equal(("Check the spam folder.", "Check spam; we re-sent it."), (feedback.ProposedText, feedback.FinalText));
    }

    [Fact]
    public async Task Reject_needs_a_reason_and_a_suggestion_is_reviewed_once()
    {
        var ticket = await AnalysedTicketAsync();

        var noReason = await Client.PostAsJsonAsync($"/api/tickets/{ticket.Id}/suggestion/reject", new { reason = " " }, Ct);
        var rejected = await Client.PostAsJsonAsync($"/api/tickets/{ticket.Id}/suggestion/reject", new { reason = "Outage, not spam." }, Ct);
        var again = await Client.PostAsJsonAsync($"/api/tickets/{ticket.Id}/suggestion/approve", new { }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.True((await noReason.ReadJsonAsync()).GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(SuggestionState.Rejected, (await rejected.ReadAsync<Ticket>()).Analysis!.Suggestion!.State);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var feedback = Assert.Single(await FeedbackAsync(ticket.Id));
        Assert.Equal((SuggestionState.Rejected, "Outage, not spam.", (string?)null), (feedback.Verdict, feedback.Reason, feedback.FinalText));
    }

    [Fact]
    public async Task No_suggestion_or_no_ticket_are_problems_not_errors()
    {
        var plain = await (await Client.PostAsJsonAsync("/api/tickets", new { title = "No analysis yet" }, Ct)).ReadAsync<Ticket>();

        Assert.Equal(HttpStatusCode.Conflict, (await Client.PostAsJsonAsync($"/api/tickets/{plain.Id}/suggestion/approve", new { }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PostAsJsonAsync($"/api/tickets/{Guid.NewGuid()}/suggestion/approve", new { }, Ct)).StatusCode);
    }
}
