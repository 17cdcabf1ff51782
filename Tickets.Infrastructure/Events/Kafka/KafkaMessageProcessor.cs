using AspireTickets.Domain.Events;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace AspireTickets.Infrastructure.Events.Kafka;

/// <summary>
/// What happens to one consumed Kafka message: deliver it (with retries), dead-letter it when it keeps failing
/// (produce to <c>ticket-events.dlq</c> and record it in the dead-letter store), and only then commit its
/// offset + 1. If the process dies before the commit, the group's next consumer receives the message again.
/// Kept apart from the consume loop so it is tested against the <see cref="IConsumer{TKey,TValue}"/> and
/// <see cref="IProducer{TKey,TValue}"/> interfaces.
/// </summary>
internal sealed class KafkaMessageProcessor(
    IConsumer<string, string> consumer,
    IProducer<string, string> producer,
    DeadLetterStore deadLetters,
    EventDelivery delivery,
    EventLogOptions options,
    ILogger logger)
{
    public async Task ProcessAsync(ConsumeResult<string, string> result, CancellationToken cancellationToken)
    {
        var ticketEvent = KafkaMessages.TryRead(result.Message, out var readError);
        if (ticketEvent is null)
        {
            // Unreadable: no handler can succeed, so it goes straight to the dead-letter topic. It cannot be
            // replayed as an event, so it is not listed in the dead-letter store.
            logger.LogError("Message at {Topic}/{Partition}@{Offset} is not a ticket event: {Error}", result.Topic, result.Partition.Value, result.Offset.Value, readError);
            await producer.ProduceAsync(options.DeadLetterTopic, KafkaMessages.ToDeadLetter(result, delivery.ConsumerGroup, readError!, 0), cancellationToken);
            Commit(result);
            return;
        }

        var target = KafkaMessages.Header(result.Message.Headers, KafkaMessages.TargetGroupHeader);
        if (target is null || target == delivery.ConsumerGroup)
        {
            var outcome = await delivery.DeliverAsync(ticketEvent, cancellationToken);
            if (!outcome.Succeeded)
            {
                var error = EventDelivery.Describe(outcome.Error!);
                await producer.ProduceAsync(options.DeadLetterTopic, KafkaMessages.ToDeadLetter(result, delivery.ConsumerGroup, error, outcome.Attempts), cancellationToken);
                await deadLetters.RecordWithRetryAsync(new DeadLetter
                {
                    Event = ticketEvent,
                    ConsumerGroup = delivery.ConsumerGroup,
                    Error = error,
                    Attempts = outcome.Attempts,
                    DeadLetteredAt = deadLetters.Time.GetUtcNow(),
                    OriginalTopic = result.Topic,
                    OriginalPartition = result.Partition.Value,
                    OriginalOffset = result.Offset.Value,
                }, options, cancellationToken);
            }
        }
        Commit(result);
    }

    private void Commit(ConsumeResult<string, string> result)
    {
        // Kafka's committed offset is the next one to read, hence + 1.
        var next = new TopicPartitionOffset(result.TopicPartition, result.Offset + 1);
        try
        {
            consumer.Commit([next]);
        }
        catch (KafkaException ex) when (!ex.Error.IsFatal)
        {
            // Typically the partition moved to another member in a rebalance; it will deliver the message again,
            // which idempotent consumers absorb.
            logger.LogWarning(ex, "Could not commit {Offset}; the message will be delivered again", next);
        }
    }
}
