using System.Diagnostics.Metrics;
using AspireTickets.Domain.Archive;
using AspireTickets.Domain.Diagnostics;
using AspireTickets.Domain.Tickets;
using AspireTickets.Ingestion.Pipeline;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace AspireTickets.Ingestion.Sources.Kafka;

public sealed class KafkaInboundOptions
{
    public string Topic { get; set; } = "tickets-inbound";
    public string GroupId { get; set; } = "aspiretickets-ingestion";
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Consumes <c>tickets-inbound</c> (registered when <c>ConnectionStrings:kafka</c> is set). Offsets are committed only
/// after a message's ticket is stored (at-least-once; re-delivery is harmless because the source key is unique).
/// A message that can never become a ticket is archived as <c>kafka-rejected</c> and then committed, so it neither
/// blocks the partition nor disappears; a storage failure is retried with back-off without skipping the message.
/// </summary>
public sealed partial class KafkaInboundConsumer(
    Func<IConsumer<string?, byte[]>> consumerFactory,
    IServiceScopeFactory scopes,
    KafkaInboundOptions options,
    TimeProvider time,
    ILogger<KafkaInboundConsumer> logger) : BackgroundService
{
    public const string RejectedSource = "kafka-rejected";

    private static readonly Meter Meter = new(TicketsTelemetry.MeterName);
    private static readonly Counter<long> Rejected = Meter.CreateCounter<long>("tickets.inbound.rejected", description: "tickets-inbound messages that could not become tickets.");

    // Consume blocks; run the loop on its own thread so host start-up is not held.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => RunAsync(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var consumer = consumerFactory();
        consumer.Subscribe(options.Topic);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                ConsumeResult<string?, byte[]>? result;
                try
                {
                    result = consumer.Consume(cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                catch (ConsumeException e)
                {
                    LogConsumeFailed(logger, e.Error.Reason);
                    continue;
                }
                if (result is null || result.IsPartitionEOF || result.Message is null)
                {
                    continue;
                }
                if (!await HandleAsync(result, cancellationToken))
                {
                    break;
                }
                consumer.Commit(result);
            }
        }
        finally
        {
            consumer.Close();
        }
    }

    /// <summary>Stores (or archives as rejected) one message; true once it is safe to commit, false when cancelled first.</summary>
    public async Task<bool> HandleAsync(ConsumeResult<string?, byte[]> result, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var value = result.Message.Value ?? [];
                var id = $"{result.Partition.Value}-{result.Offset.Value}";
                var raw = new RawPayload(TicketSources.Kafka, id, time.GetUtcNow(), "application/json", value);
                switch (InboundTicketParser.Parse(value))
                {
                    case ParseResult.Accepted accepted:
                        await scope.ServiceProvider.GetRequiredService<TicketIngestor>().IngestAsync(raw, accepted.Items, cancellationToken);
                        return true;
                    case ParseResult.Invalid invalid:
                        await scope.ServiceProvider.GetRequiredService<IRawArchive>().SaveAsync(raw with { Source = RejectedSource }, cancellationToken);
                        Rejected.Add(1);
                        LogRejected(logger, result.Partition.Value, result.Offset.Value, invalid.Field, invalid.Reason);
                        return true;
                    default:
                        return true;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception e)
            {
                // The store or archive is unavailable: keep this message (never commit past it) and try again.
                LogRetry(logger, e, result.Partition.Value, result.Offset.Value, delay);
                try
                {
                    await Task.Delay(delay, time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxRetryDelay.Ticks));
            }
        }
    }

    public static IConsumer<string?, byte[]> CreateConsumer(string bootstrapServers, KafkaInboundOptions options) =>
        new ConsumerBuilder<string?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = options.GroupId,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnablePartitionEof = false,
        }).Build();

    [LoggerMessage(Level = LogLevel.Warning, Message = "tickets-inbound: consume failed: {Reason}")]
    private static partial void LogConsumeFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "tickets-inbound: message {Partition}@{Offset} rejected ({Field}: {Reason}); archived as kafka-rejected")]
    private static partial void LogRejected(ILogger logger, int partition, long offset, string field, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "tickets-inbound: storing message {Partition}@{Offset} failed; retrying in {Delay}")]
    private static partial void LogRetry(ILogger logger, Exception exception, int partition, long offset, TimeSpan delay);
}
