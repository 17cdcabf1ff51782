using AspireTickets.Domain.Events;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AspireTickets.Infrastructure.Events.Kafka;

/// <summary>
/// The distributed event log on Kafka (<c>ConnectionStrings:kafka</c>): topic <c>ticket-events</c>, key = ticket
/// id, one consumer group per service. Offsets are committed by hand, only after the handler succeeded or the
/// message was dead-lettered to <c>ticket-events.dlq</c>.
/// </summary>
public sealed class KafkaEventLog(
    IProducer<string, string> producer,
    IKafkaConsumerFactory consumers,
    DeadLetterStore deadLetters,
    IOptions<EventLogOptions> options,
    ILogger<KafkaEventLog>? logger = null) : IEventLog
{
    public const string SystemName = "kafka";

    private readonly EventLogOptions _options = options.Value;
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    public Task PublishAsync(IReadOnlyList<TicketEvent> events, CancellationToken cancellationToken = default) =>
        // Every produce is started in order before any is awaited: with idempotence on, Kafka keeps that order
        // per partition while the round trips overlap.
        Task.WhenAll(events.Select(e => ProduceAsync(e, null, cancellationToken)).ToArray());

    public Task RedeliverAsync(TicketEvent ticketEvent, string consumerGroup, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumerGroup);
        return ProduceAsync(ticketEvent, consumerGroup, cancellationToken);
    }

    private async Task ProduceAsync(TicketEvent ticketEvent, string? targetGroup, CancellationToken cancellationToken)
    {
        using var activity = EventTelemetry.StartPublish(ticketEvent, SystemName, _options.Topic);
        await producer.ProduceAsync(_options.Topic, KafkaMessages.ToMessage(ticketEvent, targetGroup), cancellationToken);
        if (targetGroup is null)
        {
            EventTelemetry.RecordPublished(ticketEvent);
        }
    }

    /// <summary>
    /// Runs the group's consumer on a thread of its own (the Kafka client blocks while it waits for messages)
    /// until cancelled; messages are processed one at a time, which keeps each partition, hence each ticket, in order.
    /// </summary>
    public Task ConsumeAsync(string consumerGroup, Func<TicketEvent, CancellationToken, Task> handler, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumerGroup);
        ArgumentNullException.ThrowIfNull(handler);
        return Task.Factory.StartNew(
            () => RunConsumer(consumerGroup, handler, cancellationToken),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    private void RunConsumer(string consumerGroup, Func<TicketEvent, CancellationToken, Task> handler, CancellationToken cancellationToken)
    {
        using var consumer = consumers.Create(consumerGroup);
        var delivery = new EventDelivery(consumerGroup, SystemName, handler, _options, _logger);
        var processor = new KafkaMessageProcessor(consumer, producer, deadLetters, delivery, _options, _logger);
        consumer.Subscribe(_options.Topic);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                ConsumeResult<string, string>? result;
                try
                {
                    result = consumer.Consume(cancellationToken);
                }
                catch (ConsumeException ex) when (!ex.Error.IsFatal)
                {
                    _logger.LogWarning(ex, "Consumer group {Group} could not consume: {Reason}", consumerGroup, ex.Error.Reason);
                    continue;
                }
                if (result is null || result.IsPartitionEOF)
                {
                    continue;
                }
                // This thread is the consumer's own; blocking it on the handler is what keeps messages in order.
                processor.ProcessAsync(result, cancellationToken).GetAwaiter().GetResult();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            try
            {
                consumer.Close();
            }
            catch (KafkaException ex)
            {
                _logger.LogWarning(ex, "Consumer group {Group} did not leave cleanly", consumerGroup);
            }
        }
    }
}
