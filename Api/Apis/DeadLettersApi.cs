using System.Globalization;
using AspireTickets.Api.Model;
using AspireTickets.Domain.Events;
using AspireTickets.Infrastructure.Auth;
using AspireTickets.Infrastructure.Events;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AspireTickets.Api.Apis;

/// <summary>Events a consumer group gave up on: list them, inspect one, replay it to its group, or discard it.</summary>
public static class DeadLettersApi
{
    public const int MaxPageSize = 200;

    public static IEndpointRouteBuilder MapDeadLettersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/dead-letters").WithTags("Dead letters").RequireAuthorization(TicketsPolicies.Agent);

        api.MapGet("/", ListDeadLetters).WithName("ListDeadLetters").WithSummary("Dead letters, newest first (filter by consumer group)");
        api.MapGet("/{id:guid}", GetDeadLetter).WithName("GetDeadLetter").WithSummary("One dead letter with its event and last error");
        api.MapPost("/{id:guid}/replay", ReplayDeadLetter).WithName("ReplayDeadLetter")
            .WithSummary("Deliver the event again to its consumer group only, and remove the dead letter");
        api.MapDelete("/{id:guid}", DeleteDeadLetter).WithName("DeleteDeadLetter").WithSummary("Discard a dead letter without replaying it");

        return app;
    }

    public static async Task<Results<Ok<DeadLetterPage>, ValidationProblem>> ListDeadLetters(
        [FromQuery(Name = "group")] string? group, [FromQuery(Name = "page")] string? page, [FromQuery(Name = "pageSize")] string? pageSize,
        DeadLetterStore deadLetters, CancellationToken ct)
    {
        var errors = new TicketValidation.Errors();
        var pageNumber = ParsePositive(errors, "page", page, 1, int.MaxValue / MaxPageSize);
        var size = ParsePositive(errors, "pageSize", pageSize, 50, MaxPageSize);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var result = await deadLetters.ListAsync(string.IsNullOrWhiteSpace(group) ? null : group.Trim(), pageNumber, size, ct);
        return TypedResults.Ok(result);
    }

    public static async Task<Results<Ok<DeadLetter>, ProblemHttpResult>> GetDeadLetter(Guid id, DeadLetterStore deadLetters, CancellationToken ct) =>
        await deadLetters.GetAsync(id, ct) is { } letter ? TypedResults.Ok(letter) : NotFound(id);

    public static async Task<Results<Accepted<DeadLetterReplay>, ProblemHttpResult>> ReplayDeadLetter(
        Guid id, DeadLetterStore deadLetters, IEventLog eventLog, CancellationToken ct)
    {
        var letter = await deadLetters.ReplayAsync(id, eventLog, ct);
        return letter is null
            ? NotFound(id)
            : TypedResults.Accepted((string?)null, new DeadLetterReplay(letter.Id, letter.Event.Id, letter.ConsumerGroup));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteDeadLetter(Guid id, DeadLetterStore deadLetters, CancellationToken ct) =>
        await deadLetters.DeleteAsync(id, ct) ? TypedResults.NoContent() : NotFound(id);

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem($"There is no dead letter {id}.", statusCode: StatusCodes.Status404NotFound, title: "Dead letter not found");

    private static int ParsePositive(TicketValidation.Errors errors, string field, string? value, int fallback, int max)
    {
        if (value is null)
        {
            return fallback;
        }
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1 && number <= max)
        {
            return number;
        }
        errors.Add(field, $"Expected a whole number from 1 to {max}.");
        return fallback;
    }
}

/// <summary>What a replay queued: the event goes to that consumer group again.</summary>
public sealed record DeadLetterReplay(Guid DeadLetterId, Guid EventId, string ConsumerGroup);
