using AspireTickets.Domain.Tickets;

namespace AspireTickets.Api.Model;

public sealed record PersonRequest(string? Name, string? Email);

public sealed record CreateTicketRequest(
    string? Title,
    string? Description,
    PersonRequest? Reporter = null,
    string? Organization = null,
    TicketPriority? Priority = null,
    string? Category = null,
    IReadOnlyList<string>? Labels = null,
    string? Assignee = null,
    // Lets an integration make its own retries idempotent: a second create with the same key returns the first ticket.
    string? SourceKey = null);

/// <summary>PUT: the full set of editable fields; what is null is cleared (title and description are required).</summary>
public sealed record UpdateTicketRequest(
    string? Title,
    string? Description,
    TicketStatus? Status,
    TicketPriority? Priority,
    PersonRequest? Reporter = null,
    string? Organization = null,
    string? Category = null,
    IReadOnlyList<string>? Labels = null,
    string? Assignee = null,
    string? Reason = null);

public sealed record AddCommentRequest(string? Text, bool IsPublic = true);

public sealed record TicketListResponse(IReadOnlyList<Ticket> Items, long TotalCount, int Page, int PageSize);
