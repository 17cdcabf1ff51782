using System.Collections.Concurrent;
using System.Diagnostics;
using AspireTickets.Domain.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AspireTickets.Infrastructure.Events.InProcess;

/// <summary>
/// The embedded event log: a partitioned, offset-based log that behaves like a Kafka topic inside one process.
/// Events of one ticket land on one partition; each consumer group has its own committed offset per partition
/// and one worker per partition, so groups are independent and a ticket's events stay in order.
/// <para>
/// Durable across kills: <see cref="PublishAsync"/> returns only once the events are in <c>events.db</c> in the
/// data folder (one transaction per call; see <see cref="EventLogFile"/>), and the groups' committed offsets are
/// saved there every <see cref="EventLogOptions.InProcessCommitInterval"/> and when a consumer stops. An offset
/// is committed only after the handler returned (or the event was dead-lettered). On start the log reloads the
/// events still held and each group resumes at its saved offset, so a group gets again every event it had not
/// committed to disk: at least once, in order per ticket; after a kill that includes the events it finished
/// within the last commit interval.
/// </para>
/// <para>
/// Memory mirrors the disk for fast reads. Events are dropped (from memory at once, from disk at the next save)
/// when every known group has committed them; known groups are those that consumed in this process or have a
/// saved offset, less those idle for <see cref="EventLogOptions.InProcessGroupRetention"/>. A group seen for the
/// first time starts at the oldest event still held (like Kafka's "earliest").
/// </para>
/// </summary>
public sealed class InProcessEventLog : IEventLog, IAsyncDisposable, IDisposable
{
    public const string SystemName = "in-process";

    /// <summary>How often an active group's "last seen" time is refreshed on disk, so a killed process's groups do not look idle.</summary>
    private static readonly TimeSpan SeenRefresh = TimeSpan.FromMinutes(1);

    private readonly EventLogOptions _options;
    private readonly DeadLetterStore _deadLetters;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly EventLogFile _file;
    private readonly Partition[] _partitions;
    private readonly ConcurrentDictionary<string, GroupState> _groups = new(StringComparer.Ordinal);
    private readonly object _groupsLock = new();
    private readonly SemaphoreSlim _appendLock = new(1, 1);
    private readonly SemaphoreSlim _saveLock = new(1, 1);
    private readonly CancellationTokenSource _stopSaving = new();
    private readonly Task _saving;
    private int _disposed;

    /// <param name="dataDirectory">Folder of <c>events.db</c> (the embedded data folder).</param>
    /// <param name="clock">Wall clock for the groups' idle times (not the app's, possibly fake, domain clock).</param>
    public InProcessEventLog(
        IOptions<EventLogOptions> options, DeadLetterStore deadLetters, string dataDirectory, ILogger<InProcessEventLog>? logger = null, TimeProvider? clock = null)
    {
        _options = options.Value;
        _options.Validate();
        _deadLetters = deadLetters;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _clock = clock ?? TimeProvider.System;
        _file = new EventLogFile(dataDirectory);
        try
        {
            var stored = _file.Load(_options.Partitions);
            if (stored.Partitions != _options.Partitions)
            {
                _logger.LogWarning("The event log in {Directory} holds events on {Stored} partitions; it keeps {Stored} until they are consumed (configured: {Configured})",
                    dataDirectory, stored.Partitions, stored.Partitions, _options.Partitions);
            }
            _partitions = Restore(stored);
        }
        catch
        {
            _file.Dispose();
            throw;
        }
        _saving = Task.Run(SaveLoopAsync);
    }

    private Partition[] Restore(StoredLog stored)
    {
        var perPartition = Math.Max(1, _options.InProcessCapacity / stored.Partitions);
        var partitions = new Partition[stored.Partitions];
        for (var p = 0; p < partitions.Length; p++)
        {
            var held = stored.Events.Where(e => e.Partition == p).ToList();
            // The next offset continues after everything ever published here: past the events held and past every
            // saved group offset (when all events were consumed and pruned, the offsets remember where it was).
            var next = Math.Max(
                held.Count > 0 ? held[^1].Offset + 1 : 0,
                stored.Groups.Values.Select(g => g.Committed[p] ?? 0).DefaultIfEmpty(0).Max());
            var first = held.Count > 0 ? held[0].Offset : next;
            partitions[p] = new Partition(perPartition, first, [.. held.Select(e => e.Entry)]);
        }
        foreach (var (name, group) in stored.Groups)
        {
            var committed = group.Committed.Select((c, p) => c ?? partitions[p].FirstOffset).ToArray();
            _groups[name] = new GroupState(committed) { LastSeen = group.SeenAt, Saved = [.. group.Committed.Select(c => c ?? -1)] };
        }
        return partitions;
    }

    public async Task PublishAsync(IReadOnlyList<TicketEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }
        // One publish span per event, siblings under the caller's activity (each starts as the current one).
        var caller = Activity.Current;
        var spans = new List<Activity?>(events.Count);
        foreach (var ticketEvent in events)
        {
            spans.Add(EventTelemetry.StartPublish(ticketEvent, SystemName, _options.Topic));
            Activity.Current = caller;
        }
        try
        {
            await AppendAsync([.. events.Select(e => new Entry(e, null))], cancellationToken);
            foreach (var ticketEvent in events)
            {
                EventTelemetry.RecordPublished(ticketEvent);
            }
        }
        catch (Exception ex)
        {
            foreach (var span in spans)
            {
                span?.SetStatus(ActivityStatusCode.Error, ex.Message);
            }
            throw;
        }
        finally
        {
            foreach (var span in spans)
            {
                span?.Dispose();
            }
            Activity.Current = caller;
        }
    }

    public async Task RedeliverAsync(TicketEvent ticketEvent, string consumerGroup, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumerGroup);
        using var activity = EventTelemetry.StartPublish(ticketEvent, SystemName, _options.Topic);
        await AppendAsync([new Entry(ticketEvent, consumerGroup)], cancellationToken);
    }

    /// <summary>
    /// Writes the entries to disk, then makes them readable. Appends are serialised so offsets on disk and in
    /// memory agree. A partition that is full waits for the slowest group; entries staged before it are written
    /// first, so the batch keeps its order.
    /// </summary>
    private async Task AppendAsync(IReadOnlyList<Entry> entries, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        await _appendLock.WaitAsync(cancellationToken);
        try
        {
            var staged = new List<StoredEntry>(entries.Count);
            var stagedPerPartition = new int[_partitions.Length];
            foreach (var entry in entries)
            {
                var index = PartitionIndex(entry.Event.TicketId, _partitions.Length);
                var partition = _partitions[index];
                while (!partition.HasRoomFor(stagedPerPartition[index] + 1, out var trimmed))
                {
                    if (staged.Count > 0)
                    {
                        Write(staged);
                        staged.Clear();
                        Array.Clear(stagedPerPartition);
                        continue;
                    }
                    // Full: wait for the slowest group to move on; meanwhile the rest stays in the outbox.
                    await trimmed.WaitAsync(cancellationToken);
                }
                staged.Add(new StoredEntry(index, partition.NextOffset + stagedPerPartition[index], entry));
                stagedPerPartition[index]++;
            }
            Write(staged);
        }
        finally
        {
            _appendLock.Release();
        }
    }

    private void Write(List<StoredEntry> staged)
    {
        if (staged.Count == 0)
        {
            return;
        }
        _file.Append(staged);
        foreach (var entry in staged)
        {
            _partitions[entry.Partition].Append(entry.Entry);
        }
    }

    /// <summary>
    /// Consumes until cancelled, then saves the group's offsets and returns. One active consumer per group in
    /// this process (a second concurrent call for the same group throws); a later call, or a new process over the
    /// same data folder, resumes at the group's committed offsets.
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
            lock (_groupsLock)
            {
                group.LastSeen = _clock.GetUtcNow();
                group.Active = 0;
            }
            await TrySaveAsync();
        }
    }

    private GroupState JoinGroup(string consumerGroup)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        lock (_groupsLock)
        {
            var group = _groups.GetOrAdd(consumerGroup, _ => new GroupState([.. _partitions.Select(p => p.FirstOffset)]));
            if (group.Active == 1)
            {
                throw new InvalidOperationException($"Consumer group '{consumerGroup}' is already consuming in this process.");
            }
            group.Active = 1;
            group.LastSeen = _clock.GetUtcNow();
            group.SeenChanged = true;
            return group;
        }
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

                // Committed in memory now, on disk with the next save.
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

    /// <summary>Saves the consumer groups' committed offsets now and prunes what every known group has committed.</summary>
    public async Task SaveCommittedOffsetsAsync(CancellationToken cancellationToken = default)
    {
        await _saveLock.WaitAsync(cancellationToken);
        try
        {
            var now = _clock.GetUtcNow();
            var changed = new List<(GroupState State, GroupPositions Positions)>();
            var forget = new List<string>();
            var pruneBelow = new long[_partitions.Length];
            Array.Fill(pruneBelow, long.MaxValue);
            lock (_groupsLock)
            {
                foreach (var (name, group) in _groups)
                {
                    if (group.Active == 1 && now - group.LastSeen > SeenRefresh)
                    {
                        group.LastSeen = now;
                        group.SeenChanged = true;
                    }
                    if (group.Active == 0 && now - group.LastSeen > _options.InProcessGroupRetention)
                    {
                        _logger.LogInformation("Consumer group {Group} has not consumed since {LastSeen}; the in-process event log forgets it", name, group.LastSeen);
                        _groups.TryRemove(name, out _);
                        forget.Add(name);
                        continue;
                    }
                    var committed = group.Committed.Select((_, p) => Volatile.Read(ref group.Committed[p])).ToArray();
                    var save = group.SeenChanged || !committed.AsSpan().SequenceEqual(group.Saved);
                    if (save)
                    {
                        changed.Add((group, new GroupPositions(name, committed, group.LastSeen)));
                        group.SeenChanged = false;
                    }
                    // Prune by what is on disk once this save commits, never by offsets a kill could still lose.
                    var onDisk = save ? committed : group.Saved;
                    for (var p = 0; p < pruneBelow.Length; p++)
                    {
                        pruneBelow[p] = Math.Min(pruneBelow[p], onDisk[p]);
                    }
                }
            }
            if (changed.Count == 0 && forget.Count == 0)
            {
                return;
            }
            for (var p = 0; p < pruneBelow.Length; p++)
            {
                pruneBelow[p] = pruneBelow[p] == long.MaxValue ? 0 : pruneBelow[p];
            }
            try
            {
                _file.SavePositions([.. changed.Select(c => c.Positions)], forget, pruneBelow);
            }
            catch
            {
                lock (_groupsLock)
                {
                    foreach (var (state, _) in changed)
                    {
                        state.SeenChanged = true;
                    }
                }
                throw;
            }
            foreach (var (state, positions) in changed)
            {
                state.Saved = positions.Committed;
            }
            if (forget.Count > 0)
            {
                // A forgotten group may have been the one holding a full partition; free it now, not at the next commit.
                // With no group left, events wait for the first newcomer, as on disk.
                for (var p = 0; p < _partitions.Length; p++)
                {
                    if (MinCommitted(p) is var min and < long.MaxValue)
                    {
                        _partitions[p].TrimBelow(min);
                    }
                }
            }
        }
        finally
        {
            _saveLock.Release();
        }
    }

    private async Task SaveLoopAsync()
    {
        while (true)
        {
            try
            {
                await Task.Delay(_options.InProcessCommitInterval, _stopSaving.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await TrySaveAsync();
        }
    }

    private async Task TrySaveAsync()
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            return;
        }
        try
        {
            await SaveCommittedOffsetsAsync();
        }
        catch (ObjectDisposedException)
        {
        }
        catch (Exception ex)
        {
            // Not fatal: the offsets stay in memory and the next save writes them; a kill meanwhile means redelivery.
            _logger.LogWarning(ex, "Saving the in-process event log's committed offsets failed; retrying with the next save");
        }
    }

    /// <summary>A group's committed offsets in memory, per partition (tests, diagnostics).</summary>
    internal long[]? CommittedOffsets(string consumerGroup) =>
        _groups.TryGetValue(consumerGroup, out var group) ? [.. group.Committed.Select((_, p) => Volatile.Read(ref group.Committed[p]))] : null;

    /// <summary>Events held on disk (tests, diagnostics).</summary>
    internal long EventsOnDisk() => _file.CountEvents();

    /// <summary>Stops the periodic save, saves the offsets a last time and closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stopSaving.CancelAsync();
        await _saving;
        try
        {
            await SaveCommittedOffsetsAsync();
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Saving the in-process event log's committed offsets at shutdown failed; their events will be delivered again");
        }
        _file.Dispose();
        _stopSaving.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

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

        /// <summary>The offsets on disk; -1 where none is saved yet.</summary>
        public long[] Saved = [.. committed.Select(_ => -1L)];

        // Guarded by the log's groups lock.
        public int Active;
        public DateTimeOffset LastSeen;
        public bool SeenChanged;
    }

    /// <summary>An append-only list with offsets, trimmed from the front once every group has passed.</summary>
    private sealed class Partition
    {
        private readonly object _lock = new();
        private readonly int _capacity;
        private readonly List<Entry> _entries;
        private int _head;
        private long _firstOffset;
        private TaskCompletionSource _appended = NewSignal();
        private TaskCompletionSource _trimmed = NewSignal();

        public Partition(int capacity, long firstOffset, List<Entry> entries)
        {
            _capacity = capacity;
            _firstOffset = firstOffset;
            _entries = entries;
        }

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

        /// <summary>The offset the next appended entry gets.</summary>
        public long NextOffset
        {
            get
            {
                lock (_lock)
                {
                    return _firstOffset + _entries.Count - _head;
                }
            }
        }

        /// <summary>Whether <paramref name="count"/> more entries fit; if not, <paramref name="trimmed"/> completes when some room may have been made.</summary>
        public bool HasRoomFor(int count, out Task trimmed)
        {
            lock (_lock)
            {
                trimmed = _trimmed.Task;
                // A restart may hold more than the capacity (it reloads everything); it drains before taking more.
                return _entries.Count - _head + count <= _capacity;
            }
        }

        public void Append(Entry entry)
        {
            TaskCompletionSource signal;
            lock (_lock)
            {
                _entries.Add(entry);
                signal = _appended;
                _appended = NewSignal();
            }
            signal.TrySetResult();
        }

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
