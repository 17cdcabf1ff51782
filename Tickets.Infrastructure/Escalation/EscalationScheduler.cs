using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AspireTickets.Infrastructure.Escalation;

/// <summary>Runs the escalation check every <c>Tickets:Escalation:Interval</c> (default 15 minutes) on the product's clock.</summary>
public sealed class EscalationScheduler(
    EscalationService escalation, IOptions<EscalationOptions> options, TimeProvider time, ILogger<EscalationScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Schedule)
        {
            return;
        }
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var result = await escalation.CheckAsync(stoppingToken);
                if (result.Escalations.Count > 0)
                {
                    logger.LogInformation("Escalation check: {Count} escalations for {Tickets} tickets.", result.Escalations.Count, result.TicketsChecked);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "The escalation check failed; trying again at the next interval.");
            }
        }
    }
}
