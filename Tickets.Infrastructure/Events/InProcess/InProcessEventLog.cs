using System.Collections.Concurrent;
using AspireTickets.Domain.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AspireTickets.Infrastructure.Events.InProcess;

/// <summary>
/// The embedded event log: a partitioned, offset-based log in memory that behaves like a Kafka topic inside one
/// process. Events of one ticket land on one partition; each consumer group has its own committed offset per
/// partition and one worker per partition, so groups are independent and a ticket's events stay in order.
/// An offset is committed only after the handler returned (or the event was dead-lettered).
/// <para>
/// Durability comes from the ticket store's outbox: the dispatcher marks events published once they are here,
/// so events not yet consumed when the process dies are gone from memory. Events not yet marked are published
/// again on restart. Entries are kept until every group that has subscribed committed past them; a group that
/// subscribes later starts at the oldest entry still held (like Kafka's "earliest").
/// </para>
/// </summary>
public sealed class InProcessEventLog : IEventLog
{
    public const string SystemName = "in-process";

    private readonly EventLogOptions _options;
    private readonly DeadLetterStore _deadLetters;
    private readonly ILogger _logger;
    private readonly Partition[] _partitions;
    private readonly ConcurrentDictionary<string, GroupState> _groups = new(StringComparer.Ordinal);
    private readonly object _groupsLock = new();

    public InProcessEventLog(IOptions<EventLogOptions> options, DeadLetterStore deadLetters, ILogger<InProcessEventLog>? logger = null)
    {
        _options = options.Value;
        _options.Validate();
        _deadLetters = deadLetters;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        var perPartition = Math.Max(1, _options.InProcessCapacity / _options.Partitions);
        _partitions = [.. Enumerable.Range(0, _options.Partitions).Select(_ => new Partition(perPartition))];
    }

    public async Task PublishAsync(IReadOnlyList<TicketEvent> events, CancellationToken cancellationToken = default)
    {
        foreach (var ticketEvent in events)
        {
            using var activity = EventTelemetry.StartPublish(ticketEvent, SystemName, _options.Topic);
            await PartitionOf(ticketEvent.TicketId).AppendAsync(new Entry(ticketEvent, null), cancellationToken);
            EventTelemetry.RecordPublished(ticketEvent);
        }
    }

    public async Task RedeliverAsync(TicketEvent ticketEvent, string consumerGroup, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumerGroup);
        using var activity = EventTelemetry.StartPublish(ticketEvent, SystemName, _options.Topic);
        await PartitionOf(ticketEvent.TicketId).AppendAsync(new Entry(ticketEvent, consumerGroup), cancellationToken);
    }

    /// <summary>
    /// Consumes until cancelled, then returns. One active consumer per group in this process (a second
    /// concurrent call for the same group throws); a later call resumes at the group's committed offsets.
    /// </summary>
    public async Task ConsumeAsync(string consumerGroup, Func<TicketEvent, CancellationToken, Task> handler, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumerGroup);
        ArgumentNullException.ThrowIfNull(handler);
        var group = JoinGroup(consumerGroup);
        try
        {
            var delivery = new EventDelivery(consumerGroup, SystemName, handler, _options, _logger);
            using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var workers = _partitions.Select((_, index) => RunPartitionAsync(group, index, delivery, failed)).ToArray();
            try
            {
                await Task.WhenAll(workers);
            }
            catch (Exception)
            {
                // A worker that failed cancelled the others; surface its error rather than their cancellations.
                var error = workers.Where(w => w.IsFaulted).Select(w => w.Exception!.InnerException!).FirstOrDefault();
                if (error is not null)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
                }
                if (!cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
            }
        }
        finally
        {
            group.Active = 0;
        }
    }

    private GroupState JoinGroup(string consumerGroup)
    {
        GroupState group;
        lock (_groupsLock)
        {
            group = _groups.GetOrAdd(consumerGroup, _ => new GroupState([.. _partitions.Select(p => p.FirstOffset)]));
        }
        if (Interlocked.Exchange(ref group.Active, 1) == 1)
        {
            throw new InvalidOperationException($"Consumer group '{consumerGroup}' is already consuming in this process.");
        }
        return group;
    }

    private async Task RunPartitionAsync(GroupState group, int index, EventDelivery delivery, CancellationTokenSource failed)
    {
        var partition = _partitions[index];
        var cancellationToken = failed.Token;
        try
        {
            await Task.Yield();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var offset = Volatile.Read(ref group.Committed[index]);
                if (!partition.TryRead(ref offset, out var entry, out var appended))
                {
                    await appended.WaitAsync(cancellationToken);
                    continue;
                }

                if (entry.TargetGroup is null || entry.TargetGroup == delivery.ConsumerGroup)
                {
                    var outcome = await delivery.DeliverAsync(entry.Event, cancellationToken);
                    if (!outcome.Succeeded)
                    {
                        await _deadLetters.RecordWithRetryAsync(new DeadLetter
                        {
                            Event = entry.Event,
                            ConsumerGroup = delivery.ConsumerGroup,
                            Error = EventDelivery.Describe(outcome.Error!),
                            Attempts = outcome.Attempts,
                            DeadLetteredAt = _deadLetters.Time.GetUtcNow(),
                            OriginalTopic = _options.Topic,
                            OriginalPartition = index,
                            OriginalOffset = offset,
                        }, _options, cancellationToken);
                    }
                }

                Volatile.Write(ref group.Committed[index], offset + 1);
                partition.TrimBelow(MinCommitted(index));
            }
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            await failed.CancelAsync();
            throw;
        }
    }

    private long MinCommitted(int index)
    {
        var min = long.MaxValue;
        foreach (var group in _groups.Values)
        {
            min = Math.Min(min, Volatile.Read(ref group.Committed[index]));
        }
        return min;
    }

    private Partition PartitionOf(Guid ticketId) => _partitions[PartitionIndex(ticketId, _partitions.Length)];

    /// <summary>Stable across processes and runs (unlike string hash codes), so the mapping never reorders a ticket.</summary>
    internal static int PartitionIndex(Guid ticketId, int partitions)
    {
        Span<byte> bytes = stackalloc byte[16];
        ticketId.TryWriteBytes(bytes);
        var hash = 2166136261u;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 16777619u;
        }
        return (int)(hash % (uint)partitions);
    }

    internal readonly record struct Entry(TicketEvent Event, string? TargetGroup);

    private sealed class GroupState(long[] committed)
    {
        public readonly long[] Committed = committed;
        public int Active;
    }

    /// <summary>An append-only list with offsets, trimmed from the front once every group has passed.</summary>
    private sealed class Partition(int capacity)
    {
        private readonly object _lock = new();
        private readonly List<Entry> _entries = [];
        private int _head;
        private long _firstOffset;
        private TaskCompletionSource _appended = NewSignal();
        private TaskCompletionSource _trimmed = NewSignal();

        public long FirstOffset
        {
            get
            {
                lock (_lock)
                {
                    return _firstOffset;
                }
            }
        }

        public async Task AppendAsync(Entry entry, CancellationToken cancellationToken)
        {
            TaskCompletionSource signal;
            while (true)
            {
                lock (_lock)
                {
                    if (_entries.Count - _head < capacity)
                    {
                        _entries.Add(entry);
                        signal = _appended;
                        _appended = NewSignal();
                        break;
                    }
                    signal = _trimmed;
                }
                // Full: wait for the slowest group to move on; meanwhile the rest stays in the outbox.
                await signal.Task.WaitAsync(cancellationToken);
            }
            signal.TrySetResult();
        }

        /// <summary>
        /// Reads the entry at <paramref name="offset"/>; an offset below the oldest entry held moves up to it (a group
        /// that joined while others trimmed starts at the oldest entry, like Kafka's "earliest").
        /// </summary>
        public bool TryRead(ref long offset, out Entry entry, out Task appended)
        {
            lock (_lock)
            {
                offset = Math.Max(offset, _firstOffset);
                var index = offset - _firstOffset + _head;
                if (index < _entries.Count)
                {
                    entry = _entries[(int)index];
                    appended = Task.CompletedTask;
                    return true;
                }
                entry = default;
                appended = _appended.Task;
                return false;
            }
        }

        public void TrimBelow(long offset)
        {
            TaskCompletionSource? trimmed = null;
            lock (_lock)
            {
                while (_firstOffset < offset && _head < _entries.Count)
                {
                    _entries[_head++] = default;
                    _firstOffset++;
                    trimmed ??= _trimmed;
                }
                // Compact now and then instead of shifting the list on every trim.
                if (_head > 1024 && _head * 2 > _entries.Count)
                {
                    _entries.RemoveRange(0, _head);
                    _head = 0;
                }
                if (trimmed is not null)
                {
                    _trimmed = NewSignal();
                }
            }
            trimmed?.TrySetResult();
        }

        private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
