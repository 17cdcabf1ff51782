using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AspireTickets.Infrastructure.Notifications;

/// <summary>Looks for due retries every <c>Notifications:Delivery:RetryInterval</c> on the product's clock.</summary>
public sealed class NotificationRetryWorker(
    NotificationDispatcher dispatcher, IOptions<NotificationOptions> options, TimeProvider time, ILogger<NotificationRetryWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Delivery.ScheduleRetries)
        {
            return;
        }
        using var timer = new PeriodicTimer(options.Value.Delivery.RetryInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await dispatcher.RetryDueAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Retrying notifications failed; trying again at the next interval.");
            }
        }
    }
}
