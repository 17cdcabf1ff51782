using AspireTickets.Api.Model;
using AspireTickets.Domain.Diagnostics;
using AspireTickets.Domain.Events;
using AspireTickets.Domain.Sla;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Taxonomy;
using AspireTickets.Domain.Tickets;
using AspireTickets.Infrastructure.Caching;
using Microsoft.Extensions.Options;

namespace AspireTickets.Api.Services;

/// <summary>
/// The write side of the tickets API: every change is applied through <see cref="TicketEditor"/> and stored
/// with its audit entries and its event in one store transaction.
/// </summary>
public sealed class TicketCommands(ITicketStore store, IOptionsMonitor<TicketTaxonomy> taxonomy, SlaCalculator sla, TicketsCache cache, TimeProvider time)
{
    // Without If-Match a client accepts last-writer-wins, so a lost race is retried on fresh state.
    private const int UnconditionalAttempts = 3;

    public TicketTaxonomy Taxonomy => taxonomy.CurrentValue;

    public DateTimeOffset Now => time.GetUtcNow();

    public async Task<CreateTicketResult> CreateAsync(CreateTicketRequest request, string actor, string source, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var ticket = new Ticket
        {
            Source = source,
            SourceKey = string.IsNullOrWhiteSpace(request.SourceKey) ? $"{source}:{Guid.CreateVersion7()}" : $"{source}:{request.SourceKey.Trim()}",
            Title = request.Title!.Trim(),
            Description = request.Description ?? "",
            Reporter = ToPerson(request.Reporter),
            Organization = request.Organization,
            Priority = request.Priority ?? TicketPriority.Medium,
            Category = Taxonomy.Normalize(request.Category),
            Labels = [.. (request.Labels ?? []).Select(l => l.Trim()).Distinct(StringComparer.OrdinalIgnoreCase)],
            Assignee = string.IsNullOrWhiteSpace(request.Assignee) ? null : request.Assignee.Trim(),
            CreatedAt = now,
            UpdatedAt = now,
            Origin = TraceOrigin.Current(),
        };
        await sla.ApplyToNewAsync(ticket, ct);
        var audit = new AuditEntry { TicketId = ticket.Id, At = now, Actor = actor, Field = "created", NewValue = ticket.SourceKey };
        var created = TicketEvent.Create(ticket.Id, now, new TicketCreated(TicketEventFacts.Of(ticket)));
        var result = await store.CreateAsync(ticket, new TicketChanges([audit], [created]), ct);
        await cache.RemoveAreaAsync(TicketsCache.AnalyticsArea, ct);
        return result;
    }

    /// <summary>
    /// Applies <paramref name="edit"/> to the current ticket. With <paramref name="expectedVersion"/> the change
    /// is refused (<see cref="ConcurrencyConflictException"/>) when the ticket moved on since the client read it.
    /// </summary>
    public async Task<Ticket?> UpdateAsync(
        Guid id, long? expectedVersion, string actor, string? reason, Action<TicketEditor> edit, CancellationToken ct, UpdateEvent? announce = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var ticket = await store.GetAsync(id, ct);
            if (ticket is null)
            {
                return null;
            }
            if (expectedVersion is { } expected && ticket.Version != expected)
            {
                throw new ConcurrencyConflictException(id, expected);
            }

            var readVersion = ticket.Version;
            var now = time.GetUtcNow();
            var editor = new TicketEditor(ticket, actor, now, reason);
            edit(editor);
            if (!editor.HasChanges)
            {
                return ticket;
            }
            await sla.FollowChangesAsync(editor, ct);

            var updated = (announce ?? UpdateEvents.Updated)(id, now, editor.ChangedFields);
            try
            {
                await store.UpdateAsync(ticket, readVersion, new TicketChanges(editor.Audit, [updated]), ct);
                await cache.RemoveAreaAsync(TicketsCache.AnalyticsArea, ct);
                return ticket;
            }
            catch (ConcurrencyConflictException) when (expectedVersion is null && attempt < UnconditionalAttempts)
            {
                // Someone wrote in between our read and write; re-read and re-apply.
            }
        }
    }

    public static Person? ToPerson(PersonRequest? person) =>
        person is null || (string.IsNullOrWhiteSpace(person.Name) && string.IsNullOrWhiteSpace(person.Email))
            ? null
            : new Person(person.Name?.Trim(), person.Email?.Trim());
}
