using System.Threading.Channels;

namespace AspireTickets.Agents.Workflow;

/// <summary>Runs requested through the API: stored as queued at once (so the 202's run id resolves), executed in the background.</summary>
public sealed class WorkflowQueue(TicketWorkflow workflow, WorkflowRunStore runs)
{
    private readonly Channel<WorkflowRun> _queue = Channel.CreateUnbounded<WorkflowRun>(new UnboundedChannelOptions { SingleReader = false });

    public ChannelReader<WorkflowRun> Reader => _queue.Reader;

    public async Task<WorkflowRun> EnqueueAsync(Guid ticketId, string trigger, string? triggeredBy, CancellationToken ct)
    {
        var run = workflow.NewRun(ticketId, trigger, triggeredBy);
        await runs.SaveAsync(run, ct);
        await _queue.Writer.WriteAsync(run, ct);
        return run;
    }
}

/// <summary>Executes queued runs, a few at a time.</summary>
public sealed class WorkflowQueueWorker(WorkflowQueue queue, TicketWorkflow workflow, Microsoft.Extensions.Options.IOptions<AgentsOptions> options, ILogger<WorkflowQueueWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Value.Workflow.Concurrency)).Select(_ => WorkAsync(stoppingToken)));

    private async Task WorkAsync(CancellationToken ct)
    {
        await foreach (var run in queue.Reader.ReadAllAsync(ct))
        {
            try
            {
                await workflow.RunAsync(run, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The run's own steps record their errors; this is a failure around them (the run store itself).
                logger.LogError(e, "Workflow run {RunId} for ticket {TicketId} could not complete", run.Id, run.TicketId);
            }
        }
    }
}
