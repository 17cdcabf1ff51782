using AspireTickets.Domain.Events;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;
using AspireTickets.Infrastructure.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace AspireTickets.Infrastructure.Events;

/// <summary>
/// Wraps the registered <see cref="ITicketStore"/> so that every write that stored outbox events pokes the
/// <see cref="OutboxSignal"/>: whichever module writes (API, ingestion, agents), its events leave at once
/// instead of at the next poll, and no writer has to remember to do it. Passes the schema duties through so the
/// initializer and health check still reach the real store.
/// </summary>
internal sealed class SignallingTicketStore(ITicketStore inner, OutboxSignal signal) : ITicketStore, ITicketStoreSchema
{
    public ITicketStore Inner => inner;

    public Task EnsureCreatedAsync(CancellationToken cancellationToken = default) =>
        inner is ITicketStoreSchema schema ? schema.EnsureCreatedAsync(cancellationToken) : Task.CompletedTask;

    public Task PingAsync(CancellationToken cancellationToken = default) =>
        inner is ITicketStoreSchema schema ? schema.PingAsync(cancellationToken) : Task.CompletedTask;

    public async Task<CreateTicketResult> CreateAsync(Ticket ticket, TicketChanges changes, CancellationToken cancellationToken = default)
    {
        var result = await inner.CreateAsync(ticket, changes, cancellationToken);
        if (result.Created && changes.Events.Count > 0)
        {
            signal.Notify();
        }
        return result;
    }

    public async Task<IReadOnlyList<CreateTicketResult>> CreateManyAsync(
        IReadOnlyList<(Ticket Ticket, TicketChanges Changes)> items, CancellationToken cancellationToken = default)
    {
        var results = await inner.CreateManyAsync(items, cancellationToken);
        if (results.Any(r => r.Created))
        {
            signal.Notify();
        }
        return results;
    }

    public async Task UpdateAsync(Ticket ticket, long expectedVersion, TicketChanges changes, CancellationToken cancellationToken = default)
    {
        await inner.UpdateAsync(ticket, expectedVersion, changes, cancellationToken);
        if (changes.Events.Count > 0)
        {
            signal.Notify();
        }
    }

    public Task<Ticket?> GetAsync(Guid id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

    public Task<Ticket?> FindBySourceKeyAsync(string sourceKey, CancellationToken cancellationToken = default) =>
        inner.FindBySourceKeyAsync(sourceKey, cancellationToken);

    public Task<TicketPage> QueryAsync(TicketQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> GetAuditTrailAsync(Guid ticketId, CancellationToken cancellationToken = default) =>
        inner.GetAuditTrailAsync(ticketId, cancellationToken);

    public Task<IReadOnlyList<TicketFacts>> GetFactsAsync(DateTimeOffset? createdFrom, DateTimeOffset? createdTo, CancellationToken cancellationToken = default) =>
        inner.GetFactsAsync(createdFrom, createdTo, cancellationToken);

    public Task<IReadOnlyList<TicketEvent>> GetUnpublishedEventsAsync(int max, CancellationToken cancellationToken = default) =>
        inner.GetUnpublishedEventsAsync(max, cancellationToken);

    public Task MarkEventsPublishedAsync(IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken = default) =>
        inner.MarkEventsPublishedAsync(eventIds, cancellationToken);

    /// <summary>Replaces the <see cref="ITicketStore"/> registration (whatever its form) by this wrapper around it.</summary>
    internal static void Decorate(IServiceCollection services)
    {
        var registration = services.LastOrDefault(d => d.ServiceType == typeof(ITicketStore));
        if (registration is null || services.Any(d => d.ServiceType == typeof(Decorated)))
        {
            return;
        }
        services.AddSingleton<Decorated>();
        services.Remove(registration);
        services.Add(ServiceDescriptor.Describe(typeof(ITicketStore), sp =>
        {
            var inner = registration switch
            {
                { ImplementationInstance: ITicketStore instance } => instance,
                { ImplementationFactory: { } factory } => (ITicketStore)factory(sp),
                _ => (ITicketStore)ActivatorUtilities.CreateInstance(sp, registration.ImplementationType!),
            };
            return new SignallingTicketStore(inner, sp.GetRequiredService<OutboxSignal>());
        }, registration.Lifetime));
    }

    private sealed class Decorated;
}
