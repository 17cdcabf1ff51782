using AspireTickets.Domain.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AspireTickets.Infrastructure.Events.Consumers;

/// <summary>
/// Runs one consumer per consumer group for the registered <see cref="IEventHandler"/>s: events of types no
/// handler of the group wants are passed over; the rest go through <see cref="IdempotentEventHandler"/> to each
/// matching handler in turn, in a fresh DI scope. A consumer that stops with an error is restarted from the
/// group's committed position.
/// </summary>
internal sealed class EventConsumerService(
    IEnumerable<EventHandlerRegistration> registrations,
    IEventLog eventLog,
    ProcessedEventStore processed,
    IServiceScopeFactory scopes,
    ILogger<EventConsumerService> logger) : BackgroundService
{
    private static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var groups = registrations
            .DistinctBy(r => (r.ConsumerGroup, r.HandlerType))
            .GroupBy(r => r.ConsumerGroup, StringComparer.Ordinal)
            .Select(g => RunGroupAsync(g.Key, [.. g], stoppingToken));
        await Task.WhenAll(groups);
    }

    private async Task RunGroupAsync(string consumerGroup, IReadOnlyList<EventHandlerRegistration> handlers, CancellationToken stoppingToken)
    {
        var idempotent = new IdempotentEventHandler(consumerGroup, processed, (e, ct) => DispatchAsync(handlers, e, ct), logger);
        Task Handle(TicketEvent e, CancellationToken ct) =>
            handlers.Any(h => h.Handles(e.Type)) ? idempotent.HandleAsync(e, ct) : Task.CompletedTask;

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await eventLog.ConsumeAsync(consumerGroup, Handle, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Consumer group {Group} stopped; restarting", consumerGroup);
            }
            try
            {
                await Task.Delay(RestartDelay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task DispatchAsync(IReadOnlyList<EventHandlerRegistration> handlers, TicketEvent ticketEvent, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        foreach (var registration in handlers.Where(h => h.Handles(ticketEvent.Type)))
        {
            var handler = (IEventHandler)scope.ServiceProvider.GetRequiredService(registration.HandlerType);
            await handler.HandleAsync(ticketEvent, cancellationToken);
        }
    }
}
