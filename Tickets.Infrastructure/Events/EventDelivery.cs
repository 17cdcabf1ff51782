using System.Diagnostics;
using AspireTickets.Domain.Events;
using Microsoft.Extensions.Logging;

namespace AspireTickets.Infrastructure.Events;

/// <summary>
/// Runs one consumer group's handler on one event with retries and exponential backoff; shared by both adapters
/// so they retry, trace and count the same way. The caller commits or dead-letters by the outcome.
/// </summary>
internal sealed class EventDelivery(
    string consumerGroup, string system, Func<TicketEvent, CancellationToken, Task> handler, EventLogOptions options, ILogger logger)
{
    public string ConsumerGroup => consumerGroup;

    /// <summary>
    /// Succeeds as soon as one attempt returns. Cancellation is not a failure: it propagates, nothing is committed
    /// and the event is delivered again later.
    /// </summary>
    public async Task<DeliveryOutcome> DeliverAsync(TicketEvent ticketEvent, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using (var activity = EventTelemetry.StartConsume(ticketEvent, system, consumerGroup, attempt))
            {
                try
                {
                    await handler(ticketEvent, cancellationToken);
                    EventTelemetry.RecordConsumed(ticketEvent, consumerGroup);
                    return new DeliveryOutcome(attempt, null);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                    activity?.AddException(ex);
                    if (attempt >= options.MaxAttempts)
                    {
                        logger.LogError(ex, "Consumer group {Group} gave up on event {EventId} ({EventType}, ticket {TicketId}) after {Attempts} attempts",
                            consumerGroup, ticketEvent.Id, ticketEvent.Type, ticketEvent.TicketId, attempt);
                        return new DeliveryOutcome(attempt, ex);
                    }
                    logger.LogWarning(ex, "Consumer group {Group} failed event {EventId} ({EventType}) on attempt {Attempt}; retrying",
                        consumerGroup, ticketEvent.Id, ticketEvent.Type, attempt);
                    EventTelemetry.RecordRetried(ticketEvent, consumerGroup);
                }
            }
            await Task.Delay(options.BackoffFor(attempt), cancellationToken);
        }
    }

    public static string Describe(Exception error) => $"{error.GetType().FullName}: {error.Message}";
}

internal readonly record struct DeliveryOutcome(int Attempts, Exception? Error)
{
    public bool Succeeded => Error is null;
}
