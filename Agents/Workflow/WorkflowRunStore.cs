using AspireTickets.Domain.Storage;

namespace AspireTickets.Agents.Workflow;

/// <summary>Workflow runs in the document store: collection <c>workflow_runs</c>, grouped by ticket id.</summary>
public sealed class WorkflowRunStore(IDocumentStore documents)
{
    public const string CollectionName = "workflow_runs";

    private readonly IDocumentCollection<WorkflowRun> _runs = documents.Collection<WorkflowRun>(CollectionName);

    public Task SaveAsync(WorkflowRun run, CancellationToken ct = default) =>
        _runs.UpsertAsync(new StoredDocument<WorkflowRun>(run.Id.ToString(), run, run.QueuedAt, run.TicketId.ToString()), ct);

    public Task<WorkflowRun?> GetAsync(Guid runId, CancellationToken ct = default) => _runs.GetAsync(runId.ToString(), ct);

    public Task<IReadOnlyList<WorkflowRun>> ListForTicketAsync(Guid ticketId, int limit = 50, CancellationToken ct = default) =>
        _runs.ListAsync(ticketId.ToString(), limit, newestFirst: true, ct);

    public Task<IReadOnlyList<WorkflowRun>> ListRecentAsync(int limit, CancellationToken ct = default) =>
        _runs.ListAsync(null, limit, newestFirst: true, ct);
}
