namespace AspireTickets.Agents.Workflow;

/// <summary>
/// Open once the models are loaded and the similarity index is built: a run before that would miss every
/// duplicate and every source, so runs wait for it.
/// </summary>
public sealed class AgentsReadiness
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsReady => _ready.Task.IsCompleted;

    public void MarkReady() => _ready.TrySetResult();

    public Task WaitAsync(CancellationToken ct) => _ready.Task.WaitAsync(ct);
}
