using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AspireTickets.Infrastructure.Events.Consumers;

/// <summary>
/// Keeps <c>processed_events</c> from growing without end: every hour it forgets ids older than
/// <see cref="EventLogOptions.ProcessedEventRetention"/>. Running in several replicas at once is harmless.
/// </summary>
internal sealed class ProcessedEventsPruner(
    ProcessedEventStore processed, TimeProvider time, IOptions<EventLogOptions> options, ILogger<ProcessedEventsPruner> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Real time between runs: the pacing is mechanical, and a test's fake clock must not stall it.
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                var pruned = await processed.PruneAsync(time.GetUtcNow() - options.Value.ProcessedEventRetention, cancellationToken: stoppingToken);
                if (pruned > 0)
                {
                    logger.LogInformation("Forgot {Count} processed event ids past their retention", pruned);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Pruning processed event ids failed; trying again in an hour");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
