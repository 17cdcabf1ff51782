using System.Security.Claims;
using AspireTickets.Api.Model;
using AspireTickets.Api.Services;
using AspireTickets.Domain.Tickets;
using AspireTickets.Infrastructure.Auth;
using AspireTickets.Infrastructure.Sla;
using AspireTickets.Infrastructure.Taxonomy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AspireTickets.Api.Apis;

/// <summary>
/// The values tickets may take and the allowed status moves, so clients offer only valid choices.
/// <c>UpdatedBy</c>/<c>UpdatedAt</c> say who saved the categories last; both are null while they come from configuration.
/// </summary>
public sealed record TaxonomyResponse(
    IReadOnlyList<string> Categories,
    IReadOnlyList<TicketStatus> Statuses,
    IReadOnlyList<TicketPriority> Priorities,
    IReadOnlyDictionary<TicketStatus, IReadOnlyList<TicketStatus>> Transitions,
    string? UpdatedBy = null,
    DateTimeOffset? UpdatedAt = null);

public static class TaxonomyApi
{
    public static IEndpointRouteBuilder MapTaxonomyApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/taxonomy").WithTags("Taxonomy").RequireAuthorization(TicketsPolicies.Agent);
        api.MapGet("/", GetTaxonomy).WithName("GetTaxonomy")
            .WithSummary("Categories, statuses, priorities and the lifecycle's allowed status moves");
        api.MapPut("/", PutTaxonomy).WithName("PutTaxonomy").RequireAuthorization(TicketsPolicies.Lead)
            .WithSummary("Replace the categories; applies to validation, triage and the Web at once, and to other processes within Tickets:TaxonomyRefresh");
        api.MapGet("/history", GetHistory).WithName("GetTaxonomyHistory").RequireAuthorization(TicketsPolicies.Lead)
            .WithSummary("Who changed the categories, when, from what to what; newest first");
        return app;
    }

    public static Ok<TaxonomyResponse> GetTaxonomy(TicketCommands commands, StoredTaxonomy stored) => TypedResults.Ok(Response(commands, stored));

    public static async Task<Results<Ok<TaxonomyResponse>, ValidationProblem>> PutTaxonomy(
        TaxonomyRequest request, TicketCommands commands, StoredTaxonomy stored, SlaPolicyStore slaPolicies, TimeProvider time, ClaimsPrincipal user,
        CancellationToken ct)
    {
        var errors = new TicketValidation.Errors();
        var categories = TaxonomyValidation.Categories(request, errors);
        if (categories is not null)
        {
            // A policy for a removed category could never apply again, yet would still be listed as if it did.
            var orphaned = (await slaPolicies.GetPoliciesAsync(ct))
                .Where(p => p.Category is { } c && !categories.Contains(c, StringComparer.OrdinalIgnoreCase))
                .Select(p => p.Id)
                .ToList();
            if (orphaned.Count > 0)
            {
                errors.Add("categories", $"Delete the SLA policies of the removed categories first: {string.Join(", ", orphaned)}.");
            }
        }
        if (categories is null || errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        await stored.SaveAsync(categories, commands.Taxonomy.Categories, TicketsApi.Actor(user), time.GetUtcNow(), ct);
        return TypedResults.Ok(Response(commands, stored));
    }

    public static async Task<Ok<IReadOnlyList<TaxonomyChange>>> GetHistory(StoredTaxonomy stored, CancellationToken ct) =>
        TypedResults.Ok(await stored.GetHistoryAsync(100, ct));

    private static TaxonomyResponse Response(TicketCommands commands, StoredTaxonomy stored) => new(
        commands.Taxonomy.Categories,
        Enum.GetValues<TicketStatus>(),
        Enum.GetValues<TicketPriority>(),
        Enum.GetValues<TicketStatus>().ToDictionary(s => s, TicketLifecycle.NextStatuses),
        stored.Current?.UpdatedBy,
        stored.Current?.UpdatedAt);
}
