using AspireTickets.Domain.Events;
using AspireTickets.Domain.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AspireTickets.Infrastructure.Events;

/// <summary>
/// Moves events from the ticket store's outbox to the event log: read the oldest unpublished, publish, then mark
/// them published. A failure or crash between publishing and marking publishes them again (at least once;
/// consumers are idempotent), and after a restart whatever is still unmarked goes out first. Woken by
/// <see cref="OutboxSignal"/> right after writes, and polls in case a write came from another process.
/// With several replicas each runs a dispatcher; the duplicates that can cause are absorbed the same way.
/// </summary>
public sealed class OutboxDispatcher(
    ITicketStore store, IEventLog eventLog, OutboxSignal signal, IOptions<EventLogOptions> options, ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private readonly EventLogOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var dispatched = await DispatchOnceAsync(stoppingToken);
                failures = 0;
                if (dispatched == _options.OutboxBatchSize)
                {
                    continue; // more are waiting
                }
                await signal.WaitAsync(_options.OutboxPollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                logger.LogWarning(ex, "Outbox dispatch failed ({Failures} in a row); retrying", failures);
                try
                {
                    await Task.Delay(_options.BackoffFor(failures), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Publishes one batch; returns how many events it moved.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        var events = await store.GetUnpublishedEventsAsync(_options.OutboxBatchSize, cancellationToken);
        if (events.Count == 0)
        {
            return 0;
        }
        await eventLog.PublishAsync(events, cancellationToken);
        await store.MarkEventsPublishedAsync([.. events.Select(e => e.Id)], cancellationToken);
        return events.Count;
    }
}
