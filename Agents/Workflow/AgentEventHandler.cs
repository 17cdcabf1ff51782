using AspireTickets.Agents.Similarity;
using AspireTickets.Domain.Events;
using AspireTickets.Domain.Storage;
using AspireTickets.Infrastructure.Events.Consumers;

namespace AspireTickets.Agents.Workflow;

/// <summary>
/// What the agents do with a ticket event: keep the similarity index in step (upsert on created/updated/analyzed,
/// delete on archived) and run the workflow for new tickets and for text changes. An event-triggered run takes the
/// event's id as its run id, so a redelivered event finds its finished run and does not analyze twice (the consumer
/// service's processed-id guard makes most redeliveries no-ops already; this covers a crash in between).
/// </summary>
public sealed class AgentEventHandler(ITicketStore store, TicketSimilarityIndex index, TicketWorkflow workflow, WorkflowRunStore runs, ILogger<AgentEventHandler> logger) : IEventHandler
{
    public const string ConsumerGroup = "agents";

    public static readonly string[] EventTypes = [TicketEventTypes.Created, TicketEventTypes.Updated, TicketEventTypes.Analyzed, TicketEventTypes.Archived];

    public async Task HandleAsync(TicketEvent e, CancellationToken ct)
    {
        if (e.Type == TicketEventTypes.Archived)
        {
            index.Remove(e.TicketId);
            return;
        }

        var ticket = await store.GetAsync(e.TicketId, ct);
        if (ticket is null)
        {
            index.Remove(e.TicketId);
            return;
        }
        index.Upsert(ticket);

        var trigger = e.Type == TicketEventTypes.Created || e.ReadData<TicketUpdated>() is { TextChanged: true };
        if (!trigger || ticket.IsArchived)
        {
            return;
        }
        if (await runs.GetAsync(e.Id, ct) is { Status: WorkflowRunStatus.Succeeded or WorkflowRunStatus.PartiallySucceeded })
        {
            logger.LogDebug("Event {EventId} was already analyzed", e.Id);
            return;
        }
        await workflow.RunAsync(workflow.NewRun(e.TicketId, e.Type, null, e.Id), ct);
    }
}
