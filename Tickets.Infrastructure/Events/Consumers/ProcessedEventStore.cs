using AspireTickets.Domain.Events;
using AspireTickets.Domain.Storage;

namespace AspireTickets.Infrastructure.Events.Consumers;

/// <summary>The ids of events each consumer group has handled (collection <c>processed_events</c>, id <c>group:eventId</c>).</summary>
public sealed class ProcessedEventStore(IDocumentStore documents, TimeProvider time)
{
    public const string CollectionName = "processed_events";

    private IDocumentCollection<ProcessedEvent> Processed => documents.Collection<ProcessedEvent>(CollectionName);

    public static string Key(string consumerGroup, Guid eventId) => $"{consumerGroup}:{eventId}";

    public async Task<bool> WasProcessedAsync(string consumerGroup, Guid eventId, CancellationToken cancellationToken = default) =>
        await Processed.GetAsync(Key(consumerGroup, eventId), cancellationToken) is not null;

    /// <summary>False when the group had already remembered this event.</summary>
    public Task<bool> RememberAsync(string consumerGroup, TicketEvent ticketEvent, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var record = new ProcessedEvent(consumerGroup, ticketEvent.Id, ticketEvent.Type, ticketEvent.TicketId, now);
        return Processed.TryInsertAsync(new StoredDocument<ProcessedEvent>(Key(consumerGroup, ticketEvent.Id), record, now, consumerGroup), cancellationToken);
    }

    /// <summary>Forgets ids processed before <paramref name="cutoff"/>, oldest first, in batches; returns how many.</summary>
    public async Task<int> PruneAsync(DateTimeOffset cutoff, int batchSize = 500, CancellationToken cancellationToken = default)
    {
        var pruned = 0;
        while (true)
        {
            var oldest = await Processed.ListAsync(null, batchSize, newestFirst: false, cancellationToken);
            var expired = oldest.Where(p => p.ProcessedAt < cutoff).ToList();
            foreach (var record in expired)
            {
                if (await Processed.DeleteAsync(Key(record.ConsumerGroup, record.EventId), cancellationToken))
                {
                    pruned++;
                }
            }
            if (expired.Count < batchSize)
            {
                return pruned;
            }
        }
    }

    public Task<long> CountAsync(string consumerGroup, CancellationToken cancellationToken = default) => Processed.CountAsync(consumerGroup, cancellationToken);
}

public sealed record ProcessedEvent(string ConsumerGroup, Guid EventId, string EventType, Guid TicketId, DateTimeOffset ProcessedAt);
