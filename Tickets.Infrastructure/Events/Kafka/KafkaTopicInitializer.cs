using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AspireTickets.Infrastructure.Events.Kafka;

/// <summary>
/// Creates <c>ticket-events</c> and <c>ticket-events.dlq</c> with the configured partition count when missing,
/// so ordering and parallelism do not depend on the broker's auto-create defaults.
/// </summary>
internal sealed class KafkaTopicInitializer(IProducer<string, string> producer, IOptions<EventLogOptions> options, ILogger<KafkaTopicInitializer> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await EnsureTopicsAsync(producer, options.Value);
        }
        catch (KafkaException ex)
        {
            logger.LogWarning(ex, "Could not create the event topics; relying on the broker to create them");
        }
    }

    public static async Task EnsureTopicsAsync(IProducer<string, string> producer, EventLogOptions options)
    {
        using var admin = new DependentAdminClientBuilder(producer.Handle).Build();
        var topics = new[] { options.Topic, options.DeadLetterTopic }
            .Select(name => new TopicSpecification { Name = name, NumPartitions = options.Partitions, ReplicationFactor = -1 })
            .ToList();
        try
        {
            await admin.CreateTopicsAsync(topics, new CreateTopicsOptions { RequestTimeout = TimeSpan.FromSeconds(15) });
        }
        catch (CreateTopicsException ex) when (ex.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
        {
        }
    }
}
