using AspireTickets.Domain.Tickets;

namespace AspireTickets.Domain.Storage;

/// <summary>Filters, sort and page of a ticket list. Empty filters match everything; archived tickets only on request.</summary>
public sealed record TicketQuery
{
    public const int MaxPageSize = 200;

    public IReadOnlyList<TicketStatus> Statuses { get; init; } = [];
    public IReadOnlyList<TicketPriority> Priorities { get; init; } = [];
    /// <summary>Exact (case-sensitive) category.</summary>
    public string? Category { get; init; }

    /// <summary>Exact (case-sensitive) assignee.</summary>
    public string? Assignee { get; init; }

    /// <summary>A label the ticket carries, compared case-insensitively.</summary>
    public string? Label { get; init; }

    /// <summary>
    /// Words that must all occur in the title, description or comments (full-text search, case-insensitive, whole
    /// words). Only letters and digits count: search syntax in the input is ignored, and input without any word
    /// does not filter.
    /// </summary>
    public string? Text { get; init; }

    /// <summary>Inclusive lower bound of <see cref="Ticket.CreatedAt"/> (millisecond precision).</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Exclusive upper bound of <see cref="Ticket.CreatedAt"/> (millisecond precision).</summary>
    public DateTimeOffset? CreatedTo { get; init; }
    public bool IncludeArchived { get; init; }
    public bool ArchivedOnly { get; init; }

    /// <summary>Sort key; ties are broken by ticket id in the same direction, so paging is stable.</summary>
    public TicketSortField SortBy { get; init; } = TicketSortField.Created;
    public bool Descending { get; init; } = true;

    /// <summary>1-based page number.</summary>
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 50;
}

/// <summary>Priority sorts by urgency and status by lifecycle order (their enum values), not alphabetically.</summary>
public enum TicketSortField
{
    Created,
    Updated,
    Priority,
    Status,
}
