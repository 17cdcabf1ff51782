using AspireTickets.Domain.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AspireTickets.Infrastructure.Storage;

/// <summary>"tickets-store": healthy when the configured store answers and its schema exists.</summary>
internal sealed class TicketStoreHealthCheck(ITicketStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (store is not ITicketStoreSchema schema)
        {
            return HealthCheckResult.Healthy($"{store.GetType().Name} has nothing to probe.");
        }
        try
        {
            await schema.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy(store.GetType().Name);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{store.GetType().Name} is not reachable.", ex);
        }
    }
}
