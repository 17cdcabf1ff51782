using System.Diagnostics;
using System.Diagnostics.Metrics;
using AspireTickets.Domain.Archive;
using AspireTickets.Domain.Diagnostics;
using AspireTickets.Domain.Events;
using AspireTickets.Domain.Sla;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;
using AspireTickets.Ingestion.Enrichment;
using Microsoft.Extensions.Logging;

namespace AspireTickets.Ingestion.Pipeline;

/// <summary>
/// The part every source shares once its delivery is verified and parsed: archive the raw payload, enrich and mask
/// the text, then store ticket, audit and event in one store transaction. A source is acknowledged only after
/// <see cref="IngestAsync"/> returns, so an acknowledged item is archived, stored and announced.
/// </summary>
public sealed partial class TicketIngestor(
    ITicketStore store,
    IRawArchive archive,
    TextEnricher enricher,
    PiiMasker masker,
    SlaCalculator sla,
    TimeProvider time,
    ILogger<TicketIngestor> logger)
{
    private const int MaxConflictRetries = 8;

    private static readonly Meter Meter = new(TicketsTelemetry.MeterName);
    private static readonly Counter<long> Ingested = Meter.CreateCounter<long>("tickets.ingested", description: "Source items stored as new tickets or as updates.");

    public async Task<IReadOnlyList<IngestOutcome>> IngestAsync(RawPayload raw, IReadOnlyList<IngestItem> items, CancellationToken cancellationToken)
    {
        using var activity = TicketsTelemetry.ActivitySource.StartActivity("ingest " + raw.Source);
        activity?.SetTag("tickets.source", raw.Source);

        // Archive first: whatever happens next, what the source sent can be replayed.
        var archiveKey = await archive.SaveAsync(raw, cancellationToken);

        var outcomes = new List<IngestOutcome>(items.Count);
        foreach (var item in items)
        {
            var outcome = await IngestItemAsync(item, cancellationToken);
            outcomes.Add(outcome);
            Ingested.Add(1, new KeyValuePair<string, object?>("source", raw.Source), new KeyValuePair<string, object?>("result", outcome.Created ? "created" : outcome.Updated ? "updated" : "unchanged"));
            LogIngested(logger, raw.Source, masker.Mask(outcome.SourceKey), outcome.TicketId, outcome.Created, outcome.Updated, archiveKey);
        }
        activity?.SetTag("tickets.count", outcomes.Count);
        return outcomes;
    }

    /// <summary>Creates new tickets in one store call (bulk import); existing source keys are left as they are.</summary>
    public async Task<IReadOnlyList<IngestOutcome>> CreateManyAsync(RawPayload raw, IReadOnlyList<IncomingTicket> tickets, CancellationToken cancellationToken)
    {
        await archive.SaveAsync(raw, cancellationToken);
        var now = time.GetUtcNow();
        var batch = tickets.Select(t => BuildNew(new IngestItem(t) { Reason = raw.Source }, now)).ToList();
        foreach (var (ticket, _) in batch)
        {
            await sla.ApplyToNewAsync(ticket, cancellationToken);
        }
        var results = await store.CreateManyAsync(batch, cancellationToken);
        Ingested.Add(results.Count(r => r.Created), new KeyValuePair<string, object?>("source", raw.Source), new KeyValuePair<string, object?>("result", "created"));
        return results.Select(r => new IngestOutcome(r.Ticket.Id, r.Ticket.SourceKey, r.Created, false)).ToList();
    }

    private async Task<IngestOutcome> IngestItemAsync(IngestItem item, CancellationToken cancellationToken)
    {
        var key = item.Ticket.SourceKey;
        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow();
            var apply = item.Apply;
            Ticket? existing = null;

            // Most deliveries are new items: try the create first (the store's unique source key decides) and
            // read only when it already exists. Threaded items (e-mail replies) must look for their thread first.
            if (attempt == 0 && item.ThreadKeys.Count == 0)
            {
                var (fresh, freshChanges) = BuildNew(item, now);
                await sla.ApplyToNewAsync(fresh, cancellationToken);
                var attemptResult = await store.CreateAsync(fresh, freshChanges, cancellationToken);
                if (attemptResult.Created)
                {
                    return new IngestOutcome(attemptResult.Ticket.Id, key, Created: true, Updated: false);
                }
                existing = attemptResult.Ticket;
            }
            else
            {
                existing = await store.FindBySourceKeyAsync(key, cancellationToken);
            }

            if (existing is null && item.ThreadKeys.Count > 0)
            {
                foreach (var threadKey in item.ThreadKeys)
                {
                    existing = await store.FindBySourceKeyAsync(threadKey, cancellationToken);
                    if (existing is not null)
                    {
                        apply = item.ApplyToThread;
                        break;
                    }
                }
            }

            if (existing is null)
            {
                var (ticket, changes) = BuildNew(item, now);
                await sla.ApplyToNewAsync(ticket, cancellationToken);
                var result = await store.CreateAsync(ticket, changes, cancellationToken);
                if (result.Created)
                {
                    return new IngestOutcome(result.Ticket.Id, key, Created: true, Updated: false);
                }
                // A concurrent delivery of the same item won the race: treat ours as a re-delivery.
                existing = result.Ticket;
            }

            if (apply is null)
            {
                return new IngestOutcome(existing.Id, existing.SourceKey, Created: false, Updated: false);
            }

            var expectedVersion = existing.Version;
            var editor = new TicketEditor(existing, Actor(item), now, item.Reason);
            apply(editor);
            if (!editor.HasChanges)
            {
                return new IngestOutcome(existing.Id, existing.SourceKey, Created: false, Updated: false);
            }
            await sla.FollowChangesAsync(editor, cancellationToken);

            var insights = enricher.Enrich(existing.Title, existing.Description, existing.Insights?.Entities.Where(e => e.Kind == EntityExtractor.Kinds.StackFrame));
            existing.Insights = insights;
            var updated = TicketEvent.Create(existing.Id, now, new TicketUpdated(editor.ChangedFields, Facts(existing)));
            try
            {
                await store.UpdateAsync(existing, expectedVersion, new TicketChanges(editor.Audit, [updated]), cancellationToken);
                return new IngestOutcome(existing.Id, existing.SourceKey, Created: false, Updated: true);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxConflictRetries)
            {
                // Someone (an agent, a person, a concurrent delivery) wrote it meanwhile: re-read and re-apply.
                await Task.Delay(Random.Shared.Next(1, 5 * (attempt + 1)), cancellationToken);
            }
        }
    }

    private (Ticket Ticket, TicketChanges Changes) BuildNew(IngestItem item, DateTimeOffset now)
    {
        var incoming = item.Ticket;
        var created = incoming.CreatedAt is { } at && at <= now ? at : now;
        var ticket = new Ticket
        {
            Source = incoming.Source,
            SourceKey = incoming.SourceKey,
            CreatedAt = created,
            UpdatedAt = now,
            Origin = TraceOrigin.Current(),
        };

        var editor = new TicketEditor(ticket, Actor(item), now, item.Reason);
        editor.Record("created", null, $"from {incoming.Source} ({incoming.SourceKey})");
        editor.SetTitle(incoming.Title)
            .SetDescription(incoming.Description)
            .SetPriority(incoming.Priority)
            .SetReporter(incoming.Reporter)
            .SetOrganization(incoming.Organization)
            .SetLabels(incoming.Labels);
        item.Apply?.Invoke(editor);
        // The editor stamps UpdatedAt; a ticket whose source says it is older still starts its clocks then.
        ticket.CreatedAt = created;

        ticket.Insights = enricher.Enrich(ticket.Title, ticket.Description, incoming.Entities);
        var createdEvent = TicketEvent.Create(ticket.Id, now, new TicketCreated(Facts(ticket)));
        return (ticket, new TicketChanges(editor.Audit, [createdEvent]));
    }

    private static string Actor(IngestItem item) => "ingestion:" + item.Ticket.Source;

    // Events leave the process: only masked text and facts, never the original title or description.
    private TicketEventFacts Facts(Ticket ticket) => TicketEventFacts.Of(ticket) with
    {
        SourceKey = masker.Mask(ticket.SourceKey),
        Title = masker.Mask(ticket.Title),
        MaskedText = ticket.Insights?.MaskedText,
        Language = ticket.Insights?.Language,
        Sentiment = ticket.Insights?.Sentiment,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingested {Source} item {SourceKey} as ticket {TicketId} (created: {Created}, updated: {Updated}, archived as {ArchiveKey})")]
    private static partial void LogIngested(ILogger logger, string source, string sourceKey, Guid ticketId, bool created, bool updated, string archiveKey);
}
