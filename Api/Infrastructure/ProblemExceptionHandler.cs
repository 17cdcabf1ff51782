using System.Text.Json;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace AspireTickets.Api.Infrastructure;

/// <summary>
/// Turns the failures a client can cause into RFC 9457 problem details instead of a 500: malformed or
/// mistyped JSON (naming the field), oversized bodies, domain rule violations and concurrency conflicts.
/// Anything else is a real server error and is left to the default 500 problem.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => JsonProblem(json),
            JsonException json => JsonProblem(json),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large", exception.Message),
            BadHttpRequestException bad => Problem(bad.StatusCode, "Bad request", bad.Message),
            TicketRuleException rule => Validation(rule.Field, rule.Message),
            ConcurrencyConflictException conflict =>
                Problem(StatusCodes.Status412PreconditionFailed, "Ticket changed meanwhile", conflict.Message),
            TicketNotFoundException missing => Problem(StatusCodes.Status404NotFound, "Ticket not found", missing.Message),
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static ProblemDetails JsonProblem(JsonException json)
    {
        // System.Text.Json reports the failing member as a JSON path such as "$.priority" or "$.labels[2]".
        var field = JsonPathToField(json.Path);
        var reason = json.Path is null
            ? "The request body is not valid JSON."
            : $"The value of '{field}' is not valid: {FirstSentence(json.Message)}";
        return Validation(field, reason);
    }

    internal static string JsonPathToField(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length == 0 ? "body" : field;
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static HttpValidationProblemDetails Validation(string field, string reason) =>
        new(new Dictionary<string, string[]> { [field] = [reason] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "One or more validation errors occurred.",
        };

    private static ProblemDetails Problem(int status, string title, string detail) =>
        new() { Status = status, Title = title, Detail = detail };
}
