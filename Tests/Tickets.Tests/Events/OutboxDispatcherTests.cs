using AspireTickets.Domain.Events;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;
using AspireTickets.Infrastructure.Events;
using AspireTickets.Infrastructure.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using static AspireTickets.Tests.Events.EventTestKit;

namespace AspireTickets.Tests.Events;

public sealed class OutboxDispatcherTests : IDisposable
{
    private readonly string _directory = NewTempDirectory();
    private readonly EventLogOptions _options = new() { OutboxBatchSize = 3, OutboxPollInterval = TimeSpan.FromMinutes(5), RetryBaseDelay = TimeSpan.FromMilliseconds(1) };

    /// <summary>An event log that records what it was given and can be told to fail.</summary>
    private sealed class RecordingLog : IEventLog
    {
        public List<TicketEvent> Published { get; } = [];
        public int FailuresLeft { get; set; }
        public TaskCompletionSource<int> Reached { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Target { get; set; } = int.MaxValue;

        public Task PublishAsync(IReadOnlyList<TicketEvent> events, CancellationToken cancellationToken = default)
        {
            lock (Published)
            {
                if (FailuresLeft > 0)
                {
                    FailuresLeft--;
                    throw new InvalidOperationException("log unavailable");
                }
                Published.AddRange(events);
                if (Published.Count >= Target)
                {
                    Reached.TrySetResult(Published.Count);
                }
            }
            return Task.CompletedTask;
        }

        public Task ConsumeAsync(string consumerGroup, Func<TicketEvent, CancellationToken, Task> handler, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task RedeliverAsync(TicketEvent ticketEvent, string consumerGroup, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }

    private async Task<SqliteTicketStore> StoreAsync()
    {
        var store = new SqliteTicketStore(_directory);
        await store.EnsureCreatedAsync(Ct);
        return store;
    }

    private static async Task<List<TicketEvent>> CreateTicketsAsync(ITicketStore store, int count)
    {
        var events = new List<TicketEvent>();
        for (var i = 0; i < count; i++)
        {
            var ticket = new Ticket { SourceKey = $"test:{Guid.NewGuid()}", Title = $"Ticket {i}", CreatedAt = T0, UpdatedAt = T0 };
            var created = TicketEvent.Create(TicketEventTypes.Created, ticket.Id, T0);
            events.Add(created);
            await store.CreateAsync(ticket, new TicketChanges([], [created]), Ct);
        }
        return events;
    }

    private OutboxDispatcher Dispatcher(ITicketStore store, IEventLog log, OutboxSignal signal) =>
        new(store, log, signal, Microsoft.Extensions.Options.Options.Create(_options), NullLogger<OutboxDispatcher>.Instance);

    [Fact]
    public async Task Publishes_in_outbox_order_then_marks_published()
    {
        var store = await StoreAsync();
        var written = await CreateTicketsAsync(store, 5);
        var log = new RecordingLog();
        var dispatcher = Dispatcher(store, log, new OutboxSignal());

        Assert.Equal(3, await dispatcher.DispatchOnceAsync(Ct));
        Assert.Equal(2, await dispatcher.DispatchOnceAsync(Ct));
        Assert.Equal(0, await dispatcher.DispatchOnceAsync(Ct));

        Assert.Equal(written.Select(e => e.Id), log.Published.Select(e => e.Id));
        Assert.Empty(await store.GetUnpublishedEventsAsync(10, Ct));
    }

    [Fact]
    public async Task A_failed_publish_leaves_the_events_to_be_sent_again()
    {
        var store = await StoreAsync();
        var written = await CreateTicketsAsync(store, 2);
        var log = new RecordingLog { FailuresLeft = 1 };
        var dispatcher = Dispatcher(store, log, new OutboxSignal());

        await Assert.ThrowsAsync<InvalidOperationException>(() => dispatcher.DispatchOnceAsync(Ct));
        Assert.Equal(2, (await store.GetUnpublishedEventsAsync(10, Ct)).Count);

        Assert.Equal(2, await dispatcher.DispatchOnceAsync(Ct));
        Assert.Equal(written.Select(e => e.Id), log.Published.Select(e => e.Id));
    }

    [Fact]
    public async Task After_a_restart_the_running_service_sends_what_was_left_and_wakes_on_the_signal()
    {
        // Events written while no dispatcher ran (the process was down) ...
        var store = await StoreAsync();
        var before = await CreateTicketsAsync(store, 4);
        var log = new RecordingLog { FailuresLeft = 1, Target = 4 };
        var signal = new OutboxSignal();
        using var dispatcher = Dispatcher(await StoreAsync(), log, signal);

        await dispatcher.StartAsync(Ct);
        // ... go out once it starts, even though the first publish fails.
        await log.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        // The poll interval is minutes: a prompt delivery of a new write can only come from the signal.
        log.Target = 5;
        log.Reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var after = await CreateTicketsAsync(store, 1);
        signal.Notify();
        await log.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await EventuallyAsync(async () => (await store.GetUnpublishedEventsAsync(10, Ct)).Count == 0, "outbox marked");
        await dispatcher.StopAsync(Ct);

        Assert.Equal(before.Concat(after).Select(e => e.Id), log.Published.Select(e => e.Id));
    }

    public void Dispose() => DeleteDirectory(_directory);
}
