using System.Threading.Channels;
using AspireTickets.Domain.Events;
using AspireTickets.Infrastructure.Events;
using AspireTickets.Infrastructure.Events.InProcess;
using Microsoft.Extensions.Time.Testing;
using static AspireTickets.Tests.Events.EventTestKit;

namespace AspireTickets.Tests.Events;

/// <summary>
/// The in-process log over its data folder: a new instance (a restarted process) resumes every group at its
/// saved offsets. A "kill" is a second instance opened over the folder while the first is left as it is: no
/// consumer stopped, no final save, no dispose.
/// </summary>
public sealed class InProcessEventLogDurabilityTests : IAsyncDisposable
{
    private readonly string _directory = NewTempDirectory();
    private readonly DeadLetterStore _deadLetters;
    private readonly List<InProcessEventLog> _logs = [];
    private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private readonly List<Task> _consumers = [];

    public InProcessEventLogDurabilityTests() => _deadLetters = new DeadLetterStore(Documents(_directory), TimeProvider.System);

    /// <summary>Offsets are saved only when a test (or a stopping consumer, or dispose) says so: the commit interval is an hour.</summary>
    private InProcessEventLog Open(int partitions = 2, TimeProvider? clock = null, int capacity = 1000)
    {
        var log = new InProcessEventLog(Microsoft.Extensions.Options.Options.Create(new EventLogOptions
        {
            Partitions = partitions,
            InProcessCapacity = capacity,
            MaxAttempts = 2,
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            InProcessCommitInterval = TimeSpan.FromHours(1),
        }), _deadLetters, _directory, clock: clock);
        _logs.Add(log);
        return log;
    }

    private Channel<TicketEvent> Consume(InProcessEventLog log, string group, Func<TicketEvent, CancellationToken, Task>? before = null, CancellationToken? stop = null)
    {
        var received = Channel.CreateUnbounded<TicketEvent>();
        _consumers.Add(log.ConsumeAsync(group, async (e, ct) =>
        {
            if (before is not null)
            {
                await before(e, ct);
            }
            received.Writer.TryWrite(e);
        }, stop ?? _stop.Token));
        return received;
    }

    private static int Seq(TicketEvent e) => (int)(e.OccurredAt - T0).TotalSeconds;

    private static List<TicketEvent> Events(Guid ticket, int count, int from = 0) =>
        [.. Enumerable.Range(from, count).Select(s => Event(ticket, TicketEventTypes.Updated, seq: s))];

    [Fact]
    public async Task After_a_kill_each_group_gets_again_exactly_the_events_it_had_not_saved_as_committed()
    {
        var ticket = Guid.NewGuid();
        var first = Open();
        await first.PublishAsync(Events(ticket, 10), Ct);

        // "agents" finishes 0..5 (saved), then 6 and 7 (not saved), and is inside its handler for 8 when killed.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var atSix = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var agents = Consume(first, "agents", async (e, ct) =>
        {
            if (Seq(e) == 6)
            {
                atSix.TrySetResult(); // 0..5 are committed (in memory) once 6 is handed out
                await gate.Task.WaitAsync(ct);
            }
            if (Seq(e) == 8)
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
        });
        // "notify" finishes all ten, saved.
        var notify = Consume(first, "notify");
        Assert.Equal(Enumerable.Range(0, 6), (await agents.Reader.ReadAsync(6)).Select(Seq));
        Assert.Equal(Enumerable.Range(0, 10), (await notify.Reader.ReadAsync(10)).Select(Seq));
        await atSix.Task.WaitAsync(Ct);
        await EventuallyAsync(() => Task.FromResult(first.CommittedOffsets("notify")!.Sum() == 10), "notify committed all ten");
        await first.SaveCommittedOffsetsAsync(Ct);
        gate.SetResult();
        Assert.Equal([6, 7], (await agents.Reader.ReadAsync(2)).Select(Seq));

        var second = Open();
        var agentsAgain = Consume(second, "agents");
        var notifyAgain = Consume(second, "notify");
        var marker = Event(ticket, TicketEventTypes.Updated, seq: 10);
        await second.PublishAsync([marker], Ct);

        // At least once: 6 and 7 were finished after the last save, so they come again, then 8 and 9, in order.
        Assert.Equal(Enumerable.Range(6, 5), (await agentsAgain.Reader.ReadAsync(5)).Select(Seq));
        // Nothing "notify" had saved comes again: the first event it sees is the one published after the restart.
        Assert.Equal(marker.Id, (await notifyAgain.Reader.ReadAsync(1))[0].Id);
    }

    [Fact]
    public async Task Events_published_before_a_kill_and_never_consumed_are_delivered_by_the_next_process()
    {
        var tickets = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();
        var first = Open();
        using var stopAgents = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        Consume(first, "agents", stop: stopAgents.Token); // known group with a saved offset, then gone
        await stopAgents.CancelAsync();
        await Task.WhenAll(_consumers);
        await first.PublishAsync([.. tickets.SelectMany(t => Events(t, 4))], Ct);

        var second = Open();
        var agents = Consume(second, "agents");

        var got = await agents.Reader.ReadAsync(20);
        foreach (var ticket in tickets)
        {
            Assert.Equal(Enumerable.Range(0, 4), got.Where(e => e.TicketId == ticket).Select(Seq));
        }
    }

    [Fact]
    public async Task After_a_graceful_stop_nothing_is_delivered_again_and_offsets_continue_past_pruned_events()
    {
        var ticket = Guid.NewGuid();
        var first = Open(partitions: 1);
        await first.PublishAsync(Events(ticket, 5), Ct);
        using var stopFirst = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var agents = Consume(first, "agents", stop: stopFirst.Token);
        await agents.Reader.ReadAsync(5);
        await stopFirst.CancelAsync(); // a stopping consumer saves its offsets
        await Task.WhenAll(_consumers);
        Assert.Equal(0, first.EventsOnDisk()); // every known group has committed them
        await first.DisposeAsync();

        var second = Open(partitions: 1);
        var marker = Event(ticket, TicketEventTypes.Updated, seq: 5);
        await second.PublishAsync([marker], Ct);
        var again = Consume(second, "agents");

        Assert.Equal(marker.Id, (await again.Reader.ReadAsync(1))[0].Id);
    }

    [Fact]
    public async Task Events_are_held_on_disk_until_every_known_group_committed_them_and_a_new_group_starts_at_the_oldest_held()
    {
        var ticket = Guid.NewGuid();
        var first = Open(partitions: 1);
        await first.PublishAsync(Events(ticket, 4), Ct);
        using var stopSlow = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var slow = Consume(first, "slow", (e, ct) => Seq(e) == 2 ? Task.Delay(Timeout.Infinite, ct) : Task.CompletedTask, stopSlow.Token);
        var fast = Consume(first, "fast");
        await slow.Reader.ReadAsync(2);
        await fast.Reader.ReadAsync(4);
        await stopSlow.CancelAsync(); // "slow" stops inside event 2: committed up to 1
        await first.SaveCommittedOffsetsAsync(Ct);

        Assert.Equal(2, first.EventsOnDisk()); // 2 and 3 wait for "slow"

        var second = Open(partitions: 1);
        var newcomer = Consume(second, "newcomer");
        Assert.Equal([2, 3], (await newcomer.Reader.ReadAsync(2)).Select(Seq));
    }

    [Fact]
    public async Task A_group_idle_past_the_retention_is_forgotten_and_stops_holding_events()
    {
        var clock = new FakeTimeProvider(T0);
        var log = Open(partitions: 1, clock: clock, capacity: 3);
        using var stopGone = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        Consume(log, "gone", stop: stopGone.Token);
        await stopGone.CancelAsync();
        await Task.WhenAll(_consumers);
        var ticket = Guid.NewGuid();
        await log.PublishAsync(Events(ticket, 3), Ct);
        var active = Consume(log, "active");
        await active.Reader.ReadAsync(3);
        await EventuallyAsync(() => Task.FromResult(log.CommittedOffsets("active")![0] == 3), "active committed all three");
        await log.SaveCommittedOffsetsAsync(Ct);
        Assert.Equal(3, log.EventsOnDisk()); // "gone" has not consumed them yet
        var fourth = log.PublishAsync([Event(ticket, TicketEventTypes.Updated, seq: 3)], Ct); // full: waits for "gone"

        clock.Advance(TimeSpan.FromDays(8));
        await log.SaveCommittedOffsetsAsync(Ct);

        await fourth.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(3, Seq((await active.Reader.ReadAsync(1))[0]));
        await EventuallyAsync(async () =>
        {
            await log.SaveCommittedOffsetsAsync(Ct);
            return log.EventsOnDisk() == 0;
        }, "every event pruned once only the active group counts");
    }

    [Fact]
    public async Task A_log_holding_events_keeps_its_partition_count_so_tickets_stay_in_order()
    {
        var tickets = Enumerable.Range(0, 6).Select(_ => Guid.NewGuid()).ToList();
        var first = Open(partitions: 2);
        await first.PublishAsync([.. tickets.SelectMany(t => Events(t, 3))], Ct);
        await first.DisposeAsync();

        var second = Open(partitions: 5);
        await second.PublishAsync([.. tickets.Select(t => Event(t, TicketEventTypes.Updated, seq: 3))], Ct);
        var agents = Consume(second, "agents");

        var got = await agents.Reader.ReadAsync(24);
        foreach (var ticket in tickets)
        {
            Assert.Equal(Enumerable.Range(0, 4), got.Where(e => e.TicketId == ticket).Select(Seq));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_consumers);
        }
        catch (OperationCanceledException)
        {
        }
        foreach (var log in _logs)
        {
            await log.DisposeAsync();
        }
        _stop.Dispose();
        DeleteDirectory(_directory);
    }
}
