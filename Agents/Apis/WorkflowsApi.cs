using System.Security.Claims;
using AspireTickets.Agents.KnowledgeBase;
using AspireTickets.Agents.Models;
using AspireTickets.Agents.Similarity;
using AspireTickets.Agents.Workflow;
using AspireTickets.Domain.Storage;
using AspireTickets.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AspireTickets.Agents.Apis;

public sealed record WorkflowRunAccepted(Guid RunId, Guid TicketId, WorkflowRunStatus Status);

public static class WorkflowsApi
{
    public static IEndpointRouteBuilder MapWorkflowsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Workflows").RequireAuthorization(TicketsPolicies.Agent);

        api.MapGet("/workflows/{runId:guid}", GetRun).WithName("GetWorkflowRun").WithSummary("A workflow run with the status, timing, attempts and error of each step");
        api.MapGet("/tickets/{id:guid}/workflows", ListRuns).WithName("ListTicketWorkflowRuns").WithSummary("A ticket's workflow runs, newest first");
        api.MapPost("/tickets/{id:guid}/workflow", StartRun).WithName("StartTicketWorkflow").WithSummary("Run the workflow for a ticket again (202 with the run id)");
        api.MapGet("/agents/health", GetHealth).WithName("GetAgentsHealth").WithSummary("Per step: runs, success rate, p50/p95 latency and last error over the recent runs");

        return app;
    }

    public static async Task<Results<Ok<WorkflowRun>, ProblemHttpResult>> GetRun(Guid runId, WorkflowRunStore runs, CancellationToken ct)
    {
        var run = await runs.GetAsync(runId, ct);
        return run is null
            ? TypedResults.Problem($"There is no workflow run {runId}.", statusCode: StatusCodes.Status404NotFound, title: "Workflow run not found")
            : TypedResults.Ok(run);
    }

    public static async Task<Results<Ok<IReadOnlyList<WorkflowRun>>, ProblemHttpResult>> ListRuns(Guid id, ITicketStore store, WorkflowRunStore runs, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is null)
        {
            return TicketNotFound(id);
        }
        return TypedResults.Ok(await runs.ListForTicketAsync(id, 100, ct));
    }

    public static async Task<Results<Accepted<WorkflowRunAccepted>, ProblemHttpResult>> StartRun(
        Guid id, ITicketStore store, WorkflowQueue queue, ClaimsPrincipal user, CancellationToken ct)
    {
        var ticket = await store.GetAsync(id, ct);
        if (ticket is null)
        {
            return TicketNotFound(id);
        }
        if (ticket.IsArchived)
        {
            return TypedResults.Problem($"Ticket {id} is archived; restore it before analyzing it.", statusCode: StatusCodes.Status409Conflict, title: "Ticket archived");
        }
        var run = await queue.EnqueueAsync(id, WorkflowTriggers.Api, user.Identity?.Name, ct);
        return TypedResults.Accepted($"/api/workflows/{run.Id}", new WorkflowRunAccepted(run.Id, id, run.Status));
    }

    public static async Task<Ok<AgentsHealth>> GetHealth(
        WorkflowRunStore runs, TriageModelHost triage, TicketSimilarityIndex index, KnowledgeBase.KnowledgeBase knowledge, AgentsReadiness readiness, CancellationToken ct)
    {
        var recent = await runs.ListRecentAsync(WorkflowHealth.RecentRuns, ct);
        return TypedResults.Ok(new AgentsHealth(recent.Count, WorkflowHealth.Compute(recent), triage.Version, index.Count, knowledge.IndexedSections, readiness.IsReady));
    }

    private static ProblemHttpResult TicketNotFound(Guid id) =>
        TypedResults.Problem($"There is no ticket {id}.", statusCode: StatusCodes.Status404NotFound, title: "Ticket not found");
}
