using AspireTickets.Api.Model;
using AspireTickets.Infrastructure.Auth;
using AspireTickets.Infrastructure.Escalation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AspireTickets.Api.Apis;

public static class EscalationsApi
{
    public const int MaxListLimit = 1000;

    public static IEndpointRouteBuilder MapEscalationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/escalations").WithTags("Escalations").RequireAuthorization(TicketsPolicies.Agent);

        api.MapPost("/check", Check).WithName("CheckEscalations")
            .WithSummary("Run the SLA escalation check now; returns the escalations it made (ran=false when another replica is running it)");
        api.MapGet("/", List).WithName("ListEscalations").WithSummary("Escalations made, newest first, or one ticket's by level");

        return app;
    }

    public static async Task<Ok<EscalationCheckResult>> Check(EscalationService escalation, CancellationToken ct) =>
        TypedResults.Ok(await escalation.CheckAsync(ct));

    public static async Task<Results<Ok<IReadOnlyList<EscalationRecord>>, ValidationProblem>> List(
        [FromQuery] Guid? ticketId, [FromQuery] int? limit, EscalationService escalation, CancellationToken ct)
    {
        if (limit is < 1 or > MaxListLimit)
        {
            var errors = new TicketValidation.Errors();
            errors.Add("limit", $"The limit must be between 1 and {MaxListLimit}.");
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        return TypedResults.Ok(await escalation.ListAsync(ticketId, limit ?? 100, ct));
    }
}
