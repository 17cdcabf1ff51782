using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using AspireTickets.Api.Model;
using AspireTickets.Api.Services;
using AspireTickets.Domain.Events;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;
using AspireTickets.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AspireTickets.Api.Apis;

public static class TicketsApi
{
    public static IEndpointRouteBuilder MapTicketsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tickets").WithTags("Tickets").RequireAuthorization(TicketsPolicies.Agent);

        api.MapGet("/", ListTickets).WithName("ListTickets").WithSummary("List tickets with filters, sort and paging");
        api.MapGet("/{id:guid}", GetTicket).WithName("GetTicket").WithSummary("Get a ticket; the ETag is its version");
        api.MapPost("/", CreateTicket).WithName("CreateTicket").WithSummary("Create a ticket");
        api.MapPut("/{id:guid}", UpdateTicket).WithName("UpdateTicket").WithSummary("Replace a ticket's editable fields (If-Match for optimistic concurrency)");
        api.MapPatch("/{id:guid}", PatchTicket).WithName("PatchTicket").WithSummary("Change some fields (JSON merge patch; If-Match for optimistic concurrency)")
            .Accepts<JsonElement>("application/merge-patch+json", "application/json");
        api.MapDelete("/{id:guid}", ArchiveTicket).WithName("ArchiveTicket").WithSummary("Archive a ticket (soft delete; restore with POST …/restore)");
        api.MapPost("/{id:guid}/restore", RestoreTicket).WithName("RestoreTicket").WithSummary("Restore an archived ticket");
        api.MapGet("/{id:guid}/comments", GetComments).WithName("GetComments").WithSummary("A ticket's comments, oldest first");
        api.MapPost("/{id:guid}/comments", AddComment).WithName("AddComment").WithSummary("Add a public or internal comment");
        api.MapGet("/{id:guid}/audit", GetAuditTrail).WithName("GetAuditTrail").WithSummary("Every change of a ticket, oldest first");

        return app;
    }

    public static async Task<Results<Ok<TicketListResponse>, ValidationProblem>> ListTickets(
        [AsParameters] TicketListQuery query, ITicketStore store, CancellationToken ct)
    {
        var errors = new TicketValidation.Errors();
        var parsed = query.ToQuery(errors);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var page = await store.QueryAsync(parsed, ct);
        return TypedResults.Ok(new TicketListResponse(page.Items, page.TotalCount, page.Page, page.PageSize));
    }

    public static async Task<Results<Ok<Ticket>, ProblemHttpResult>> GetTicket(
        Guid id, ITicketStore store, HttpContext http, CancellationToken ct)
    {
        var ticket = await store.GetAsync(id, ct);
        if (ticket is null)
        {
            return NotFound(id);
        }
        SetETag(http, ticket);
        return TypedResults.Ok(ticket);
    }

    public static async Task<Results<Created<Ticket>, Ok<Ticket>, ValidationProblem>> CreateTicket(
        CreateTicketRequest request, TicketCommands commands, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        var errors = new TicketValidation.Errors();
        TicketValidation.Title(errors, request.Title);
        TicketValidation.Description(errors, request.Description);
        TicketValidation.Reporter(errors, request.Reporter);
        TicketValidation.Labels(errors, request.Labels);
        if (request.Category is { } category && commands.Taxonomy.Normalize(category) is null)
        {
            errors.Add("category", $"'{category}' is not one of: {string.Join(", ", commands.Taxonomy.Categories)}.");
        }
        if (request.SourceKey is { Length: > 200 })
        {
            errors.Add("sourceKey", "The source key may have at most 200 characters.");
        }
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        // People filing through the Web's form are the web source; everything else is an API integration.
        var source = user.HasClaim(ApiKeyAuthenticationHandler.ViaClaim, "web") ? TicketSources.Web : TicketSources.Api;
        var result = await commands.CreateAsync(request, Actor(user), source, ct);
        SetETag(http, result.Ticket);
        // A retried create with the same source key answers with the ticket it made the first time.
        return result.Created
            ? TypedResults.Created($"/api/tickets/{result.Ticket.Id}", result.Ticket)
            : TypedResults.Ok(result.Ticket);
    }

    public static async Task<Results<Ok<Ticket>, ProblemHttpResult, ValidationProblem>> UpdateTicket(
        Guid id, UpdateTicketRequest request, TicketCommands commands, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        var errors = new TicketValidation.Errors();
        TicketValidation.Title(errors, request.Title);
        TicketValidation.Description(errors, request.Description);
        TicketValidation.Reporter(errors, request.Reporter);
        TicketValidation.Labels(errors, request.Labels);
        if (request.Status is null)
        {
            errors.Add("status", "The status is required.");
        }
        if (request.Priority is null)
        {
            errors.Add("priority", "The priority is required.");
        }
        var expected = ParseIfMatch(http, errors);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var ticket = await commands.UpdateAsync(id, expected, Actor(user), request.Reason, editor =>
        {
            var taxonomy = commands.Taxonomy;
            editor.SetTitle(request.Title!.Trim())
                .SetDescription(request.Description ?? "")
                .SetPriority(request.Priority!.Value)
                .SetCategory(string.IsNullOrWhiteSpace(request.Category) ? null : taxonomy.Normalize(request.Category) ?? request.Category, taxonomy)
                .SetLabels(request.Labels ?? [])
                .SetAssignee(string.IsNullOrWhiteSpace(request.Assignee) ? null : request.Assignee.Trim())
                .SetOrganization(string.IsNullOrWhiteSpace(request.Organization) ? null : request.Organization.Trim())
                .SetReporter(TicketCommands.ToPerson(request.Reporter))
                .SetStatus(request.Status!.Value);
        }, ct);

        if (ticket is null)
        {
            return NotFound(id);
        }
        SetETag(http, ticket);
        return TypedResults.Ok(ticket);
    }

    public static async Task<Results<Ok<Ticket>, ProblemHttpResult, ValidationProblem>> PatchTicket(
        Guid id, [FromBody] JsonElement body, TicketCommands commands, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        var errors = new TicketValidation.Errors();
        var patch = TicketPatch.Parse(body, errors);
        var expected = ParseIfMatch(http, errors);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var ticket = await commands.UpdateAsync(id, expected, Actor(user), patch.Reason, editor => patch.Apply(editor, commands.Taxonomy), ct);
        if (ticket is null)
        {
            return NotFound(id);
        }
        SetETag(http, ticket);
        return TypedResults.Ok(ticket);
    }

    public static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> ArchiveTicket(
        Guid id, TicketCommands commands, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        var errors = new TicketValidation.Errors();
        var expected = ParseIfMatch(http, errors);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        // The archived event tells the agents to drop the ticket from their similarity indexes.
        var ticket = await commands.UpdateAsync(id, expected, Actor(user), null, editor => editor.Archive(), ct, UpdateEvents.Archived);
        return ticket is null ? NotFound(id) : TypedResults.NoContent();
    }

    public static async Task<Results<Ok<Ticket>, ProblemHttpResult>> RestoreTicket(
        Guid id, TicketCommands commands, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        var ticket = await commands.UpdateAsync(id, null, Actor(user), null, editor => editor.Restore(), ct);
        if (ticket is null)
        {
            return NotFound(id);
        }
        SetETag(http, ticket);
        return TypedResults.Ok(ticket);
    }

    public static async Task<Results<Ok<IReadOnlyList<TicketComment>>, ProblemHttpResult>> GetComments(
        Guid id, ITicketStore store, CancellationToken ct)
    {
        var ticket = await store.GetAsync(id, ct);
        return ticket is null ? NotFound(id) : TypedResults.Ok<IReadOnlyList<TicketComment>>(ticket.Comments);
    }

    public static async Task<Results<Created<TicketComment>, ProblemHttpResult, ValidationProblem>> AddComment(
        Guid id, AddCommentRequest request, TicketCommands commands, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        var errors = new TicketValidation.Errors();
        if (string.IsNullOrWhiteSpace(request.Text))
        {
            errors.Add("text", "The comment text is required.");
        }
        TicketValidation.Text(errors, "text", request.Text, TicketValidation.MaxCommentLength);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var comment = new TicketComment { Author = Actor(user), IsPublic = request.IsPublic, Text = request.Text!.Trim() };
        var ticket = await commands.UpdateAsync(id, null, Actor(user), null, editor => editor.AddComment(comment), ct);
        if (ticket is null)
        {
            return NotFound(id);
        }
        SetETag(http, ticket);
        return TypedResults.Created($"/api/tickets/{id}/comments", comment);
    }

    public static async Task<Results<Ok<IReadOnlyList<AuditEntry>>, ProblemHttpResult>> GetAuditTrail(
        Guid id, ITicketStore store, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is null)
        {
            return NotFound(id);
        }
        return TypedResults.Ok(await store.GetAuditTrailAsync(id, ct));
    }

    internal static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem($"There is no ticket {id}.", statusCode: StatusCodes.Status404NotFound, title: "Ticket not found");

    private static void SetETag(HttpContext http, Ticket ticket) =>
        http.Response.Headers.ETag = $"\"{ticket.Version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>Reads the version a client expects from If-Match (<c>"7"</c> or <c>W/"7"</c>); none means last writer wins.</summary>
    private static long? ParseIfMatch(HttpContext http, TicketValidation.Errors errors)
    {
        var header = http.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header) || header.Trim() == "*")
        {
            return null;
        }
        var value = header.Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal))
        {
            value = value[2..];
        }
        value = value.Trim('"');
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return version;
        }
        errors.Add("If-Match", "Expected the ETag of the ticket as returned by GET, for example \"3\".");
        return null;
    }
}
