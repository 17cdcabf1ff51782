using System.Security.Claims;
using AspireTickets.Agents.Models;
using AspireTickets.Domain.Storage;
using AspireTickets.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AspireTickets.Agents.Apis;

public sealed record TriageModels(TriageRollout Rollout, IReadOnlyList<TriageModelVersion> Versions);

/// <summary>An A/B split: <see cref="CandidateShare"/> of the tickets (0 to 0.5) are triaged by <see cref="Candidate"/>.</summary>
public sealed record TriageSplitRequest(string? Candidate, double CandidateShare);

public static class TriageModelsApi
{
    /// <summary>A candidate gets at most half of the tickets: more would make it the de-facto active model.</summary>
    public const double MaxCandidateShare = 0.5;

    public static IEndpointRouteBuilder MapTriageModelsApi(this IEndpointRouteBuilder app)
    {
        // Agents see which model triages; changing that is a lead's decision, like the taxonomy it serves.
        var api = app.MapGroup("/api/agents/models").WithTags("Triage models").RequireAuthorization(TicketsPolicies.Agent);

        api.MapGet("/", List).WithName("ListTriageModels").WithSummary("The triage model versions (scores on held-out history, decision) and the rollout in use");
        api.MapPost("/retrain", Retrain).WithName("RetrainTriageModel").WithSummary("Retrain now; the new model is promoted only if it scores better than the active one on held-out history")
            .RequireAuthorization(TicketsPolicies.Lead);
        api.MapPost("/{version}/activate", Activate).WithName("ActivateTriageModel").WithSummary("Make a kept version (or \"rules\") the active one: a rollback or a promotion")
            .RequireAuthorization(TicketsPolicies.Lead);
        api.MapPut("/split", Split).WithName("SplitTriageModels").WithSummary("Triage a share of the tickets with a candidate version (A/B); share 0 ends the split")
            .RequireAuthorization(TicketsPolicies.Lead);

        return app;
    }

    public static async Task<Ok<TriageModels>> List(TriageModelRegistry registry, CancellationToken ct) =>
        TypedResults.Ok(new TriageModels(await registry.GetRolloutAsync(ct), await registry.ListAsync(ct)));

    public static async Task<Results<Ok<TriageModelVersion>, ProblemHttpResult>> Retrain(TriageModelHost models, ITicketStore store, CancellationToken ct)
    {
        var retrain = await models.RetrainAsync(store, ct);
        return retrain switch
        {
            { Version: { } version } => TypedResults.Ok(version),
            { Busy: true } => TypedResults.Problem("A retrain is already running; its result will be listed under /api/agents/models.",
                statusCode: StatusCodes.Status409Conflict, title: "Retrain already running"),
            _ => TypedResults.Problem("There is not yet enough labelled history (resolved or closed tickets with a category or priority) to train a model.",
                statusCode: StatusCodes.Status409Conflict, title: "Not enough history"),
        };
    }

    public static async Task<Results<Ok<TriageRollout>, ProblemHttpResult>> Activate(string version, TriageModelHost models, ClaimsPrincipal user, CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok(await models.ActivateAsync(version, Actor(user), ct));
        }
        catch (Exception e) when (VersionProblem(e) is { } problem)
        {
            return problem;
        }
    }

    public static async Task<Results<Ok<TriageRollout>, ValidationProblem, ProblemHttpResult>> Split(
        TriageSplitRequest request, TriageModelHost models, ClaimsPrincipal user, CancellationToken ct)
    {
        if (double.IsNaN(request.CandidateShare) || request.CandidateShare is < 0 or > MaxCandidateShare)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["candidateShare"] = [$"The candidate's share must be between 0 and {MaxCandidateShare} (0 ends the split)."],
            });
        }
        if (request.CandidateShare > 0 && string.IsNullOrWhiteSpace(request.Candidate))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["candidate"] = ["Name the candidate version that gets the share."],
            });
        }
        if (request.Candidate is not null && request.Candidate == models.Version && request.CandidateShare > 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["candidate"] = [$"'{request.Candidate}' is already the active version."],
            });
        }
        try
        {
            return TypedResults.Ok(await models.SplitAsync(request.Candidate, request.CandidateShare, Actor(user), ct));
        }
        catch (Exception e) when (VersionProblem(e) is { } problem)
        {
            return problem;
        }
    }

    /// <summary>A version that does not exist is 404; one whose model was not kept is 409.</summary>
    private static ProblemHttpResult? VersionProblem(Exception e) => e switch
    {
        TriageModelNotFoundException => TypedResults.Problem(e.Message, statusCode: StatusCodes.Status404NotFound, title: "Model version not found"),
        TriageModelUnavailableException => TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "Model version not available"),
        _ => null,
    };

    private static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";
}
