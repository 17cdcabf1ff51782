using System.Text.Json;
using AspireTickets.Domain.Events;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Tests.Ingestion;

/// <summary>
/// A faithful in-memory ITicketStore for ingestion tests: copies on the way in and out (like a database), one lock
/// per operation (so create-if-new is atomic), optimistic versions, outbox events stored with their ticket.
/// </summary>
public sealed class InMemoryTicketStore : ITicketStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, string> _tickets = [];
    private readonly Dictionary<string, Guid> _bySourceKey = new(StringComparer.Ordinal);
    private readonly List<AuditEntry> _audit = [];
    private readonly List<(TicketEvent Event, bool Published)> _outbox = [];

    public int Writes { get; private set; }

    public IReadOnlyList<Ticket> All()
    {
        lock (_gate)
        {
            return _tickets.Values.Select(Read).ToList();
        }
    }

    public IReadOnlyList<TicketEvent> Events()
    {
        lock (_gate)
        {
            return _outbox.Select(o => o.Event).ToList();
        }
    }

    public Task<CreateTicketResult> CreateAsync(Ticket ticket, TicketChanges changes, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(CreateLocked(ticket, changes));
        }
    }

    public Task<IReadOnlyList<CreateTicketResult>> CreateManyAsync(IReadOnlyList<(Ticket Ticket, TicketChanges Changes)> items, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<CreateTicketResult>>(items.Select(i => CreateLocked(i.Ticket, i.Changes)).ToList());
        }
    }

    private CreateTicketResult CreateLocked(Ticket ticket, TicketChanges changes)
    {
        if (string.IsNullOrEmpty(ticket.SourceKey))
        {
            throw new ArgumentException("Tickets from ingestion have a source key.");
        }
        if (_bySourceKey.TryGetValue(ticket.SourceKey, out var existing))
        {
            return new CreateTicketResult(Read(_tickets[existing]), false);
        }
        ticket.Version = 1;
        _tickets[ticket.Id] = Write(ticket);
        _bySourceKey[ticket.SourceKey] = ticket.Id;
        _audit.AddRange(changes.Audit);
        _outbox.AddRange(changes.Events.Select(e => (e, false)));
        Writes++;
        return new CreateTicketResult(Read(_tickets[ticket.Id]), true);
    }

    public Task<Ticket?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_tickets.TryGetValue(id, out var json) ? Read(json) : null);
        }
    }

    public Task<Ticket?> FindBySourceKeyAsync(string sourceKey, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_bySourceKey.TryGetValue(sourceKey, out var id) ? Read(_tickets[id]) : null);
        }
    }

    public Task UpdateAsync(Ticket ticket, long expectedVersion, TicketChanges changes, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_tickets.TryGetValue(ticket.Id, out var json))
            {
                throw new TicketNotFoundException(ticket.Id);
            }
            if (Read(json).Version != expectedVersion)
            {
                throw new ConcurrencyConflictException(ticket.Id, expectedVersion);
            }
            ticket.Version = expectedVersion + 1;
            _tickets[ticket.Id] = Write(ticket);
            _audit.AddRange(changes.Audit);
            _outbox.AddRange(changes.Events.Select(e => (e, false)));
            Writes++;
            return Task.CompletedTask;
        }
    }

    public Task<TicketPage> QueryAsync(TicketQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<AuditEntry>> GetAuditTrailAsync(Guid ticketId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<AuditEntry>>(_audit.Where(a => a.TicketId == ticketId).ToList());
        }
    }

    public Task<IReadOnlyList<TicketFacts>> GetFactsAsync(DateTimeOffset? createdFrom, DateTimeOffset? createdTo, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<IReadOnlyList<TicketEvent>> GetUnpublishedEventsAsync(int max, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<TicketEvent>>(_outbox.Where(o => !o.Published).Take(max).Select(o => o.Event).ToList());
        }
    }

    public Task MarkEventsPublishedAsync(IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            for (var i = 0; i < _outbox.Count; i++)
            {
                if (eventIds.Contains(_outbox[i].Event.Id))
                {
                    _outbox[i] = (_outbox[i].Event, true);
                }
            }
            return Task.CompletedTask;
        }
    }

    private static string Write(Ticket ticket) => JsonSerializer.Serialize(ticket);

    private static Ticket Read(string json) => JsonSerializer.Deserialize<Ticket>(json)!;
}
