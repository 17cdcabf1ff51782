using AspireTickets.Domain.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AspireTickets.Infrastructure.Storage;

/// <summary>
/// Creates the store's schema and indexes when the host starts, so the first request does not pay for it. The
/// stores also create it lazily on first use, so a store that is down at start (a MongoDB still booting) does not
/// stop the host: it is logged, the "tickets-store" health check reports it, and the next use retries.
/// </summary>
internal sealed partial class TicketStoreInitializer(ITicketStore store, ILogger<TicketStoreInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (store is not ITicketStoreSchema schema)
        {
            return;
        }
        try
        {
            await schema.EnsureCreatedAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSchemaFailed(logger, ex, store.GetType().Name);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not create the schema of {Store} at start; it is retried on first use.")]
    private static partial void LogSchemaFailed(ILogger logger, Exception exception, string store);
}
