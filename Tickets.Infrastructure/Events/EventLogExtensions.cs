using AspireTickets.Domain;
using AspireTickets.Domain.Events;
using AspireTickets.Infrastructure.Documents;
using AspireTickets.Infrastructure.Events.Consumers;
using AspireTickets.Infrastructure.Events.InProcess;
using AspireTickets.Infrastructure.Events.Kafka;
using AspireTickets.Infrastructure.Storage;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AspireTickets.Infrastructure.Events;

public static class EventLogExtensions
{
    public const string KafkaHealthCheckName = "kafka";

    /// <summary>
    /// Registers <see cref="IEventLog"/>: Kafka when <c>ConnectionStrings:kafka</c> is set (with the producer,
    /// a consumer factory, topic creation and the "kafka" health check), otherwise the in-process log (durable in
    /// <c>events.db</c> of the data folder). Also the
    /// dead-letter store and the outbox signal. Safe to call from every module; only the first call registers.
    /// </summary>
    public static IHostApplicationBuilder AddEventLog(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(EventLogRegistered)))
        {
            return builder;
        }
        services.AddSingleton<EventLogRegistered>();

        builder.AddDocumentStore();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<EventLogOptions>().BindConfiguration(EventLogOptions.SectionName).Validate(o =>
        {
            o.Validate();
            return true;
        });
        services.TryAddSingleton<OutboxSignal>();
        services.TryAddSingleton<DeadLetterStore>();
        services.TryAddSingleton<ProcessedEventStore>();

        var kafka = builder.Configuration.GetConnectionString(ConnectionNames.Kafka);
        if (!string.IsNullOrWhiteSpace(kafka))
        {
            AddKafka(builder, kafka);
        }
        else
        {
            var dataDirectory = TicketStorageOptions.ResolveDataDirectory(builder);
            services.AddSingleton(sp => new InProcessEventLog(
                sp.GetRequiredService<IOptions<EventLogOptions>>(), sp.GetRequiredService<DeadLetterStore>(), dataDirectory, sp.GetRequiredService<ILogger<InProcessEventLog>>()));
            services.AddSingleton<IEventLog>(sp => sp.GetRequiredService<InProcessEventLog>());
        }
        return builder;
    }

    private static void AddKafka(IHostApplicationBuilder builder, string bootstrapServers)
    {
        var services = builder.Services;
        var producerConfig = KafkaClients.ProducerConfig(builder.Configuration, bootstrapServers);
        var consumerConfig = KafkaClients.ConsumerConfig(builder.Configuration, bootstrapServers);

        services.AddSingleton(sp => KafkaClients.BuildProducer(producerConfig, sp.GetRequiredService<ILoggerFactory>().CreateLogger("AspireTickets.Kafka.Producer")));
        services.AddSingleton<IKafkaConsumerFactory>(sp => new KafkaConsumerFactory(consumerConfig, sp.GetRequiredService<ILogger<KafkaConsumerFactory>>()));
        services.AddSingleton<KafkaEventLog>();
        services.AddSingleton<IEventLog>(sp => sp.GetRequiredService<KafkaEventLog>());
        services.AddHostedService<KafkaTopicInitializer>();
        services.AddHealthChecks().AddCheck<KafkaHealthCheck>(KafkaHealthCheckName, tags: ["ready"]);
    }

    /// <summary>
    /// Registers the <see cref="OutboxDispatcher"/> that publishes the ticket store's outbox to the event log
    /// (and the store and the log), and makes the store wake it after each write. Every module that writes
    /// tickets may call it; it registers once.
    /// </summary>
    public static IHostApplicationBuilder AddOutboxDispatcher(this IHostApplicationBuilder builder)
    {
        builder.AddTicketStore();
        builder.AddEventLog();
        SignallingTicketStore.Decorate(builder.Services);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OutboxDispatcher>());
        return builder;
    }

    /// <summary>
    /// Runs <typeparamref name="THandler"/> for the events of <paramref name="consumerGroup"/> (only those of
    /// <paramref name="eventTypes"/>, when given), idempotently. Also registers the event log.
    /// </summary>
    public static IHostApplicationBuilder AddEventHandler<THandler>(this IHostApplicationBuilder builder, string consumerGroup, params string[] eventTypes)
        where THandler : class, IEventHandler
    {
        builder.AddEventLog();
        builder.Services.AddEventHandler<THandler>(consumerGroup, eventTypes);
        return builder;
    }

    /// <summary>The same, for a service collection whose host already called <see cref="AddEventLog"/>.</summary>
    public static IServiceCollection AddEventHandler<THandler>(this IServiceCollection services, string consumerGroup, params string[] eventTypes)
        where THandler : class, IEventHandler
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumerGroup);
        services.TryAddScoped<THandler>();
        services.AddSingleton(new EventHandlerRegistration(consumerGroup, typeof(THandler), eventTypes.ToHashSet(StringComparer.Ordinal)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, EventConsumerService>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ProcessedEventsPruner>());
        return services;
    }

    /// <summary>Marks that the event log is registered, so repeated calls from several modules add nothing twice.</summary>
    private sealed class EventLogRegistered;
}
