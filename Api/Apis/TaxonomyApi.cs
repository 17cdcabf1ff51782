using AspireTickets.Api.Services;
using AspireTickets.Domain.Tickets;
using AspireTickets.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AspireTickets.Api.Apis;

/// <summary>The values tickets may take and the allowed status moves, so clients offer only valid choices.</summary>
public sealed record TaxonomyResponse(
    IReadOnlyList<string> Categories,
    IReadOnlyList<TicketStatus> Statuses,
    IReadOnlyList<TicketPriority> Priorities,
    IReadOnlyDictionary<TicketStatus, IReadOnlyList<TicketStatus>> Transitions);

public static class TaxonomyApi
{
    public static IEndpointRouteBuilder MapTaxonomyApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/taxonomy", GetTaxonomy).WithTags("Taxonomy").RequireAuthorization(TicketsPolicies.Agent)
            .WithSummary("Categories, statuses, priorities and the lifecycle's allowed status moves");
        return app;
    }

    public static Ok<TaxonomyResponse> GetTaxonomy(TicketCommands commands) => TypedResults.Ok(new TaxonomyResponse(
        commands.Taxonomy.Categories,
        Enum.GetValues<TicketStatus>(),
        Enum.GetValues<TicketPriority>(),
        Enum.GetValues<TicketStatus>().ToDictionary(s => s, TicketLifecycle.NextStatuses)));
}
