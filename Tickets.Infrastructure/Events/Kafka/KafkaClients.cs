using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AspireTickets.Infrastructure.Events.Kafka;

/// <summary>Creates a consumer for a consumer group (the group id is the caller's: one group per service).</summary>
public interface IKafkaConsumerFactory
{
    IConsumer<string, string> Create(string groupId);
}

/// <summary>
/// The Kafka clients as the Aspire Confluent.Kafka client integration configures them: settings bound from
/// <c>Aspire:Confluent:Kafka:Producer|Consumer</c>, <c>BootstrapServers</c> = the connection string, plus the
/// guarantees the event log relies on (producer: acks=all and idempotence; consumer: manual commits).
/// </summary>
public static class KafkaClients
{
    public static ProducerConfig ProducerConfig(IConfiguration configuration, string bootstrapServers)
    {
        var config = new ProducerConfig();
        configuration.GetSection("Aspire:Confluent:Kafka:Producer:Config").Bind(config);
        config.BootstrapServers = bootstrapServers;
        config.Acks = Acks.All;
        config.EnableIdempotence = true;
        return config;
    }

    public static ConsumerConfig ConsumerConfig(IConfiguration configuration, string bootstrapServers)
    {
        var config = new ConsumerConfig();
        configuration.GetSection("Aspire:Confluent:Kafka:Consumer:Config").Bind(config);
        config.BootstrapServers = bootstrapServers;
        config.EnableAutoCommit = false;
        config.AutoOffsetReset ??= AutoOffsetReset.Earliest;
        return config;
    }

    public static IProducer<string, string> BuildProducer(ProducerConfig config, ILogger logger) =>
        new ProducerBuilder<string, string>(config)
            .SetLogHandler((_, message) => Log(logger, message))
            .Build();

    internal static void Log(ILogger logger, LogMessage message) =>
        logger.Log(message.Level switch
        {
            SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
            SyslogLevel.Error => LogLevel.Error,
            SyslogLevel.Warning => LogLevel.Warning,
            SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
            _ => LogLevel.Debug,
        }, "Kafka {Facility}: {Message}", message.Facility, message.Message);
}

internal sealed class KafkaConsumerFactory(ConsumerConfig baseConfig, ILogger<KafkaConsumerFactory> logger) : IKafkaConsumerFactory
{
    public IConsumer<string, string> Create(string groupId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        var config = new ConsumerConfig(new Dictionary<string, string>(baseConfig)) { GroupId = groupId };
        return new ConsumerBuilder<string, string>(config)
            .SetLogHandler((_, message) => KafkaClients.Log(logger, message))
            .Build();
    }
}
