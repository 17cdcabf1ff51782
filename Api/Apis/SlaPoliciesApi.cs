using AspireTickets.Api.Model;
using AspireTickets.Domain.Sla;
using AspireTickets.Domain.Taxonomy;
using AspireTickets.Domain.Tickets;
using AspireTickets.Infrastructure.Auth;
using AspireTickets.Infrastructure.Sla;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using AspireTickets.Domain.Text;

namespace AspireTickets.Api.Apis;

/// <summary>
/// SLA policies per priority and optionally per category. A changed policy applies to tickets created or
/// re-prioritized from then on; due times already promised are kept.
/// </summary>
public static class SlaPoliciesApi
{
    public static IEndpointRouteBuilder MapSlaPoliciesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/sla-policies").WithTags("SLA policies").RequireAuthorization(TicketsPolicies.Agent);

        api.MapGet("/", ListPolicies).WithName("ListSlaPolicies").WithSummary("The stored policies, plus the defaults for priorities without one");
        api.MapGet("/{id}", GetPolicy).WithName("GetSlaPolicy").WithSummary("One policy by id (critical, or critical.billing for a category)");
        api.MapPost("/", CreatePolicy).WithName("CreateSlaPolicy").WithSummary("Store a policy for a priority (and category) that has none yet").RequireAuthorization(TicketsPolicies.Lead);
        api.MapPut("/{id}", PutPolicy).WithName("PutSlaPolicy").WithSummary("Create or replace the policy with this id").RequireAuthorization(TicketsPolicies.Lead);
        api.MapDelete("/{id}", DeletePolicy).WithName("DeleteSlaPolicy").WithSummary("Delete a stored policy (its priority falls back to the default)").RequireAuthorization(TicketsPolicies.Lead);

        return app;
    }

    public static async Task<Ok<IReadOnlyList<SlaPolicyView>>> ListPolicies(SlaPolicyStore store, CancellationToken ct)
    {
        var stored = await store.GetPoliciesAsync(ct);
        var views = stored.Select(p => SlaPolicyView.From(p, isDefault: false))
            .Concat(SlaPolicy.Defaults
                .Where(d => !stored.Any(p => p.Priority == d.Priority && p.Category is null))
                .Select(d => SlaPolicyView.From(d, isDefault: true)))
            .OrderByDescending(v => v.Priority)
            .ThenBy(v => v.Category ?? "", StringComparer.Ordinal)
            .ToList();
        return TypedResults.Ok<IReadOnlyList<SlaPolicyView>>(views);
    }

    public static async Task<Results<Ok<SlaPolicyView>, ProblemHttpResult>> GetPolicy(string id, SlaPolicyStore store, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is { } stored)
        {
            return TypedResults.Ok(SlaPolicyView.From(stored, isDefault: false));
        }
        if (EnumNames.TryParse<TicketPriority>(id, out var priority) && SlaPolicy.KeyFor(priority, null) == id)
        {
            return TypedResults.Ok(SlaPolicyView.From(SlaPolicy.DefaultFor(priority), isDefault: true));
        }
        return NotFound(id);
    }

    public static async Task<Results<Created<SlaPolicyView>, ProblemHttpResult, ValidationProblem>> CreatePolicy(
        SlaPolicyRequest request, SlaPolicyStore store, IOptionsMonitor<TicketTaxonomy> taxonomy, CancellationToken ct)
    {
        var errors = new TicketValidation.Errors();
        var policy = SlaPolicyValidation.ToPolicy(request, taxonomy.CurrentValue, errors);
        if (policy is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        if (!await store.TryCreateAsync(policy, ct))
        {
            return TypedResults.Problem($"A policy '{policy.Id}' exists; change it with PUT /api/sla-policies/{policy.Id}.",
                statusCode: StatusCodes.Status409Conflict, title: "Policy exists");
        }
        return TypedResults.Created($"/api/sla-policies/{policy.Id}", SlaPolicyView.From(policy, isDefault: false));
    }

    public static async Task<Results<Ok<SlaPolicyView>, ValidationProblem>> PutPolicy(
        string id, SlaPolicyRequest request, SlaPolicyStore store, IOptionsMonitor<TicketTaxonomy> taxonomy, CancellationToken ct)
    {
        var errors = new TicketValidation.Errors();
        var policy = SlaPolicyValidation.ToPolicy(request, taxonomy.CurrentValue, errors);
        if (policy is not null && policy.Id != id)
        {
            errors.Add("id", $"The id of a policy for this priority and category is '{policy.Id}', not '{id}'.");
        }
        if (policy is null || errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        await store.UpsertAsync(policy, ct);
        return TypedResults.Ok(SlaPolicyView.From(policy, isDefault: false));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeletePolicy(string id, SlaPolicyStore store, CancellationToken ct) =>
        await store.DeleteAsync(id, ct) ? TypedResults.NoContent() : NotFound(id);

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem($"There is no stored SLA policy '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Policy not found");
}
