using AspireTickets.Domain.Tickets;

namespace AspireTickets.Domain.Storage;

/// <summary>Filters, sort and page of a ticket list. Empty filters match everything; archived tickets only on request.</summary>
public sealed record TicketQuery
{
    public const int MaxPageSize = 200;

    public IReadOnlyList<TicketStatus> Statuses { get; init; } = [];
    public IReadOnlyList<TicketPriority> Priorities { get; init; } = [];
    public string? Category { get; init; }
    public string? Assignee { get; init; }
    public string? Label { get; init; }

    /// <summary>Words that must all occur in the title, description or comments (full-text search).</summary>
    public string? Text { get; init; }
    public DateTimeOffset? CreatedFrom { get; init; }
    public DateTimeOffset? CreatedTo { get; init; }
    public bool IncludeArchived { get; init; }
    public bool ArchivedOnly { get; init; }

    public TicketSortField SortBy { get; init; } = TicketSortField.Created;
    public bool Descending { get; init; } = true;

    /// <summary>1-based page number.</summary>
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 50;
}

public enum TicketSortField
{
    Created,
    Updated,
    Priority,
    Status,
}
