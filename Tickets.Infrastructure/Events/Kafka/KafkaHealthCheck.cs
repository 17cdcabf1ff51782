using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AspireTickets.Infrastructure.Events.Kafka;

/// <summary>Healthy when the brokers answer a metadata request over the producer's connection.</summary>
internal sealed class KafkaHealthCheck(IProducer<string, string> producer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.Run(() =>
        {
            try
            {
                using var admin = new DependentAdminClientBuilder(producer.Handle).Build();
                var metadata = admin.GetMetadata(TimeSpan.FromSeconds(5));
                return metadata.Brokers.Count > 0
                    ? HealthCheckResult.Healthy($"{metadata.Brokers.Count} broker(s)")
                    : HealthCheckResult.Unhealthy("No Kafka broker answered.");
            }
            catch (KafkaException ex)
            {
                return HealthCheckResult.Unhealthy("Kafka is not reachable.", ex);
            }
        }, cancellationToken);
}
