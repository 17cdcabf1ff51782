using System.Security.Claims;
using AspireTickets.Api.Model;
using AspireTickets.Api.Services;
using AspireTickets.Domain.Events;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;
using AspireTickets.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AspireTickets.Api.Apis;

/// <summary>
/// People review the agents' suggested resolution: approve it, edit it, or reject it. Each verdict changes
/// <c>Analysis.Suggestion.State</c>, is audited on the ticket, is stored as feedback for the learning loop and is
/// announced as a <c>ticket.feedback</c> event.
/// </summary>
public static class SuggestionApi
{
    public const int MaxReasonLength = 2000;

    public static IEndpointRouteBuilder MapSuggestionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tickets/{id:guid}/suggestion").WithTags("Suggestions").RequireAuthorization(TicketsPolicies.Agent);
        api.MapPost("/approve", Approve).WithSummary("Approve the suggested resolution (optionally sending it as a public reply)");
        api.MapPost("/edit", Edit).WithSummary("Replace the suggested text with the reviewer's version (optionally sending it as a public reply)");
        api.MapPost("/reject", Reject).WithSummary("Reject the suggested resolution with a reason");
        return app;
    }

    public static Task<Results<Ok<Ticket>, ProblemHttpResult, ValidationProblem>> Approve(
        Guid id, ApproveSuggestionRequest? request, TicketCommands commands, IDocumentStore documents, ClaimsPrincipal user, CancellationToken ct) =>
        ReviewAsync(id, SuggestionState.Approved, null, null, request?.PostAsReply ?? true, commands, documents, user, ct);

    public static Task<Results<Ok<Ticket>, ProblemHttpResult, ValidationProblem>> Edit(
        Guid id, EditSuggestionRequest request, TicketCommands commands, IDocumentStore documents, ClaimsPrincipal user, CancellationToken ct)
    {
        var errors = new TicketValidation.Errors();
        if (string.IsNullOrWhiteSpace(request.Text))
        {
            errors.Add("text", "The edited resolution text is required.");
        }
        TicketValidation.Text(errors, "text", request.Text, TicketValidation.MaxCommentLength);
        return errors.Any
            ? Task.FromResult<Results<Ok<Ticket>, ProblemHttpResult, ValidationProblem>>(TypedResults.ValidationProblem(errors.ToDictionary()))
            : ReviewAsync(id, SuggestionState.Edited, request.Text!.Trim(), null, request.PostAsReply, commands, documents, user, ct);
    }

    public static Task<Results<Ok<Ticket>, ProblemHttpResult, ValidationProblem>> Reject(
        Guid id, RejectSuggestionRequest request, TicketCommands commands, IDocumentStore documents, ClaimsPrincipal user, CancellationToken ct)
    {
        var errors = new TicketValidation.Errors();
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            errors.Add("reason", "Say why the suggestion is rejected; it teaches the next suggestion.");
        }
        TicketValidation.Text(errors, "reason", request.Reason, MaxReasonLength);
        return errors.Any
            ? Task.FromResult<Results<Ok<Ticket>, ProblemHttpResult, ValidationProblem>>(TypedResults.ValidationProblem(errors.ToDictionary()))
            : ReviewAsync(id, SuggestionState.Rejected, null, request.Reason!.Trim(), false, commands, documents, user, ct);
    }

    private static async Task<Results<Ok<Ticket>, ProblemHttpResult, ValidationProblem>> ReviewAsync(
        Guid id, SuggestionState verdict, string? editedText, string? reason, bool postAsReply,
        TicketCommands commands, IDocumentStore documents, ClaimsPrincipal user, CancellationToken ct)
    {
        var actor = TicketsApi.Actor(user);
        string? proposed = null;
        SuggestedResolution? reviewed = null;
        string? modelVersion = null;
        ProblemHttpResult? problem = null;

        var ticket = await commands.UpdateAsync(id, null, actor, reason, editor =>
        {
            var suggestion = editor.Ticket.Analysis?.Suggestion;
            if (suggestion is null)
            {
                problem = TypedResults.Problem("This ticket has no suggested resolution yet.", statusCode: StatusCodes.Status409Conflict, title: "No suggestion");
                return;
            }
            if (suggestion.State != SuggestionState.Proposed)
            {
                problem = TypedResults.Problem(
                    $"The suggestion was already {suggestion.State.ToString().ToLowerInvariant()} by {suggestion.ReviewedBy}.",
                    statusCode: StatusCodes.Status409Conflict, title: "Suggestion already reviewed");
                return;
            }
            proposed = suggestion.Text;
            modelVersion = editor.Ticket.Analysis?.ModelVersion;
            suggestion.State = verdict;
            suggestion.ReviewedBy = actor;
            suggestion.ReviewedAt = commands.Now;
            if (editedText is not null)
            {
                suggestion.Text = editedText;
            }
            editor.Record("suggestion", SuggestionState.Proposed.ToString(), verdict.ToString());
            if (postAsReply && verdict != SuggestionState.Rejected)
            {
                editor.AddComment(new TicketComment { Author = actor, IsPublic = true, Text = suggestion.Text });
            }
            reviewed = suggestion;
        }, ct, UpdateEvents.Feedback);

        if (ticket is null)
        {
            return TypedResults.Problem($"There is no ticket {id}.", statusCode: StatusCodes.Status404NotFound, title: "Ticket not found");
        }
        if (problem is not null)
        {
            return problem;
        }

        var feedback = new SuggestionFeedback(Guid.CreateVersion7(), id, SuggestionFeedback.SuggestionKind, verdict, actor, reviewed!.ReviewedAt!.Value,
            proposed!, verdict == SuggestionState.Rejected ? null : reviewed.Text, reason, modelVersion, reviewed.Citations);
        await documents.Collection<SuggestionFeedback>(SuggestionFeedback.CollectionName)
            .UpsertAsync(new StoredDocument<SuggestionFeedback>(feedback.Id.ToString(), feedback, feedback.At, id.ToString()), ct);
        return TypedResults.Ok(ticket);
    }
}
