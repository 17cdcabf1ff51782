using AspireTickets.Domain.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AspireTickets.Infrastructure.Events.Consumers;

/// <summary>
/// Skips events the consumer group has already handled, and remembers an event only after its handler succeeded.
/// <para>
/// Why after, not before: claiming the id first would lose the event whenever the handler then fails or the
/// process dies mid-way (the retry would find it "processed"). Remembering after keeps delivery at least once;
/// the price is that a crash between the handler's success and the remembering runs the handler again on
/// redelivery, so handlers must still be idempotent in what they write (e.g. upserts keyed by the event id).
/// The guard makes the common duplicates (redelivery after a lost commit, a replayed dead letter, the outbox
/// re-publishing after a restart) cheap no-ops.
/// </para>
/// </summary>
public sealed class IdempotentEventHandler(
    string consumerGroup, ProcessedEventStore processed, Func<TicketEvent, CancellationToken, Task> inner, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public async Task HandleAsync(TicketEvent ticketEvent, CancellationToken cancellationToken)
    {
        if (await processed.WasProcessedAsync(consumerGroup, ticketEvent.Id, cancellationToken))
        {
            _logger.LogDebug("Consumer group {Group} skips event {EventId}: already processed", consumerGroup, ticketEvent.Id);
            return;
        }
        await inner(ticketEvent, cancellationToken);
        await processed.RememberAsync(consumerGroup, ticketEvent, cancellationToken);
    }
}
