using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Infrastructure.Storage.Sqlite;

/// <summary>A create waiting for a group commit (<see cref="SqliteTicketStore.CreateAsync"/>).</summary>
internal sealed class PendingCreate(Ticket ticket, TicketChanges changes)
{
    public Ticket Ticket { get; } = ticket;
    public TicketChanges Changes { get; } = changes;

    /// <summary>Set (under the queue's lock) once a group has taken it; from then on it is written or failed, never dropped.</summary>
    public bool Taken { get; set; }

    public TaskCompletionSource<CreateTicketResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>The creates waiting for the writer, in arrival order. Callers lock the instance.</summary>
internal sealed class PendingCreates
{
    private readonly LinkedList<PendingCreate> _queue = new();

    public void Enqueue(PendingCreate create) => _queue.AddLast(create);

    public void Remove(PendingCreate create) => _queue.Remove(create);

    public List<PendingCreate> TakeGroup(int maxSize)
    {
        var group = new List<PendingCreate>(Math.Min(maxSize, _queue.Count));
        while (group.Count < maxSize && _queue.First is { } first)
        {
            _queue.RemoveFirst();
            first.Value.Taken = true;
            group.Add(first.Value);
        }
        return group;
    }
}
