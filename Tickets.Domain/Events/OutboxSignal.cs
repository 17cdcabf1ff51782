namespace AspireTickets.Domain.Events;

/// <summary>
/// Wakes the outbox dispatcher right after a write stored events, so they reach the event log without waiting
/// for the next poll. Writers call <see cref="Notify"/>; poking it needlessly costs one empty outbox query.
/// </summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _pending = new(0, 1);

    public void Notify()
    {
        // At most one pending wake-up: several writes before the dispatcher looks need only one look.
        try
        {
            if (_pending.CurrentCount == 0)
            {
                _pending.Release();
            }
        }
        catch (SemaphoreFullException)
        {
        }
    }

    /// <summary>Waits until notified or <paramref name="timeout"/> passed; true when notified.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _pending.WaitAsync(timeout, cancellationToken);
}
