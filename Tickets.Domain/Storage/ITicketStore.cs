using AspireTickets.Domain.Events;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Domain.Storage;

/// <summary>
/// The ticket store port. Every write stores the ticket, its audit entries and its outbox events in one
/// transaction, so an event is never lost for a stored ticket and never published for a rejected one.
/// Adapters: SQLite (embedded, default) and MongoDB (<c>ConnectionStrings:tickets</c>); both pass the same conformance suite.
/// </summary>
public interface ITicketStore
{
    /// <summary>
    /// Stores a new ticket (at version 1) unless one with the same source key exists; then that one is returned
    /// unchanged with <see cref="CreateTicketResult.Created"/> false and nothing of this call is written. Safe under
    /// concurrent deliveries of the same item. A ticket with an empty source key is always stored.
    /// </summary>
    Task<CreateTicketResult> CreateAsync(Ticket ticket, TicketChanges changes, CancellationToken cancellationToken = default);

    /// <summary>Stores many new tickets in as few transactions as possible; existing source keys are skipped.</summary>
    Task<IReadOnlyList<CreateTicketResult>> CreateManyAsync(IReadOnlyList<(Ticket Ticket, TicketChanges Changes)> items, CancellationToken cancellationToken = default);

    Task<Ticket?> GetAsync(Guid id, CancellationToken cancellationToken = default);

    Task<Ticket?> FindBySourceKeyAsync(string sourceKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the ticket if its stored version is still <paramref name="expectedVersion"/>; the stored
    /// version is then incremented and set on <paramref name="ticket"/>.
    /// </summary>
    /// <exception cref="ConcurrencyConflictException">Someone else wrote the ticket since it was read.</exception>
    /// <exception cref="TicketNotFoundException">No ticket has that id.</exception>
    Task UpdateAsync(Ticket ticket, long expectedVersion, TicketChanges changes, CancellationToken cancellationToken = default);

    Task<TicketPage> QueryAsync(TicketQuery query, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<AuditEntry>> GetAuditTrailAsync(Guid ticketId, CancellationToken cancellationToken = default);

    /// <summary>The lightweight projection analytics are computed from: non-archived tickets created in [from, to).</summary>
    Task<IReadOnlyList<TicketFacts>> GetFactsAsync(DateTimeOffset? createdFrom, DateTimeOffset? createdTo, CancellationToken cancellationToken = default);

    /// <summary>Outbox events not yet marked published, oldest first.</summary>
    Task<IReadOnlyList<TicketEvent>> GetUnpublishedEventsAsync(int max, CancellationToken cancellationToken = default);

    Task MarkEventsPublishedAsync(IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken = default);
}

/// <summary>What a write adds besides the ticket itself: its audit entries and the events to publish.</summary>
public sealed record TicketChanges(IReadOnlyList<AuditEntry> Audit, IReadOnlyList<TicketEvent> Events)
{
    public static readonly TicketChanges None = new([], []);
}

public sealed record CreateTicketResult(Ticket Ticket, bool Created);

public sealed record TicketPage(IReadOnlyList<Ticket> Items, long TotalCount, int Page, int PageSize);

public sealed record TicketFacts(
    Guid Id,
    TicketStatus Status,
    TicketPriority Priority,
    string? Category,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FirstResponseAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? FirstResponseDueAt,
    DateTimeOffset? ResolutionDueAt);

public sealed class ConcurrencyConflictException(Guid ticketId, long expectedVersion)
    : Exception($"Ticket {ticketId} was changed since version {expectedVersion} was read.")
{
    public Guid TicketId { get; } = ticketId;
    public long ExpectedVersion { get; } = expectedVersion;
}

public sealed class TicketNotFoundException(Guid ticketId) : Exception($"Ticket {ticketId} does not exist.")
{
    public Guid TicketId { get; } = ticketId;
}
