using System.Threading.Channels;
using AspireTickets.Domain.Diagnostics;
using AspireTickets.Domain.Events;
using AspireTickets.Infrastructure.Events;
using AspireTickets.Infrastructure.Events.InProcess;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using static AspireTickets.Tests.Events.EventTestKit;

namespace AspireTickets.Tests.Events;

/// <summary>What the in-process log adds beyond the conformance suite: bounded memory, resuming groups, metrics.</summary>
public sealed class InProcessEventLogTests : IAsyncDisposable
{
    private readonly string _directory = NewTempDirectory();
    private readonly DeadLetterStore _deadLetters;
    private readonly List<InProcessEventLog> _logs = [];

    public InProcessEventLogTests() => _deadLetters = new DeadLetterStore(Documents(_directory), TimeProvider.System);

    private InProcessEventLog Log(int capacity = 1000, int partitions = 2, int maxAttempts = 3)
    {
        var log = new InProcessEventLog(Microsoft.Extensions.Options.Options.Create(new EventLogOptions
        {
            InProcessCapacity = capacity,
            Partitions = partitions,
            MaxAttempts = maxAttempts,
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        }), _deadLetters, _directory);
        _logs.Add(log);
        return log;
    }

    [Fact]
    public async Task A_full_log_holds_publishing_back_until_a_group_has_consumed()
    {
        var log = Log(capacity: 3, partitions: 1);
        var ticket = Guid.NewGuid();
        await log.PublishAsync([Event(ticket, seq: 0), Event(ticket, seq: 1), Event(ticket, seq: 2)], Ct);

        var fourth = log.PublishAsync([Event(ticket, seq: 3)], Ct);
        await Task.Delay(50, Ct);
        Assert.False(fourth.IsCompleted); // memory stays bounded; the outbox keeps the rest meanwhile

        var received = Channel.CreateUnbounded<TicketEvent>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var consuming = log.ConsumeAsync("late", (e, _) => Task.FromResult(received.Writer.TryWrite(e)), stop.Token);
        await fourth.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        // The group that subscribed after publishing still got everything, from the oldest entry held.
        Assert.Equal(Enumerable.Range(0, 4).Select(s => T0.AddSeconds(s)), (await received.Reader.ReadAsync(4)).Select(e => e.OccurredAt));
        await stop.CancelAsync();
        await consuming;
    }

    [Fact]
    public async Task A_group_resumes_after_its_committed_offset_and_only_one_consumer_per_group_runs()
    {
        var log = Log();
        var first = Channel.CreateUnbounded<TicketEvent>();
        using var stopFirst = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var consuming = log.ConsumeAsync("agents", (e, _) => Task.FromResult(first.Writer.TryWrite(e)), stopFirst.Token);
        var before = Event(Guid.NewGuid());
        await log.PublishAsync([before], Ct);
        await first.Reader.ReadAsync(1);

        await Assert.ThrowsAsync<InvalidOperationException>(() => log.ConsumeAsync("agents", (_, _) => Task.CompletedTask, Ct));
        await stopFirst.CancelAsync();
        await consuming;

        var after = Event(Guid.NewGuid());
        await log.PublishAsync([after], Ct);
        var second = Channel.CreateUnbounded<TicketEvent>();
        using var stopSecond = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var resumed = log.ConsumeAsync("agents", (e, _) => Task.FromResult(second.Writer.TryWrite(e)), stopSecond.Token);
        Assert.Equal(after.Id, (await second.Reader.ReadAsync(1))[0].Id);
        await Task.Delay(50, Ct);
        Assert.False(second.Reader.TryRead(out _)); // the committed event was not delivered again
        await stopSecond.CancelAsync();
        await resumed;
    }

    [Fact]
    public async Task Published_consumed_retried_and_dead_lettered_events_are_counted()
    {
        const string group = "metrics-group";
        using var published = new MetricCollector<long>(TicketsTelemetry.Meter, EventTelemetry.PublishedName);
        using var consumed = new MetricCollector<long>(TicketsTelemetry.Meter, EventTelemetry.ConsumedName);
        using var retried = new MetricCollector<long>(TicketsTelemetry.Meter, EventTelemetry.RetriedName);
        using var deadLettered = new MetricCollector<long>(TicketsTelemetry.Meter, EventTelemetry.DeadLetteredName);
        var log = Log(maxAttempts: 2);
        var ok = Event(Guid.NewGuid(), TicketEventTypes.Feedback);
        var poison = Event(Guid.NewGuid(), TicketEventTypes.Feedback, data: "poison");
        var done = Channel.CreateUnbounded<TicketEvent>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var consuming = log.ConsumeAsync(group, (e, _) => e.Data == "poison" ? throw new InvalidOperationException("poison") : Task.FromResult(done.Writer.TryWrite(e)), stop.Token);

        await log.PublishAsync([ok, poison], Ct);
        await done.Reader.ReadAsync(1);
        await EventuallyAsync(async () => (await _deadLetters.ListAsync(group, 1, 1, Ct)).TotalCount == 1, "dead letter");
        await stop.CancelAsync();
        await consuming;

        static long Sum(MetricCollector<long> collector, string group) => collector.GetMeasurementSnapshot()
            .Where(m => m.Tags.TryGetValue("messaging.consumer.group.name", out var g) ? (string?)g == group : group == "")
            .Where(m => (string?)m.Tags["tickets.event.type"] == TicketEventTypes.Feedback)
            .Sum(m => m.Value);
        Assert.True(Sum(published, "") >= 2);
        Assert.Equal(1, Sum(consumed, group));
        Assert.Equal(1, Sum(retried, group)); // attempt 1 of 2 failed and was retried; attempt 2 gave up
        Assert.Equal(1, Sum(deadLettered, group));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var log in _logs)
        {
            await log.DisposeAsync();
        }
        DeleteDirectory(_directory);
    }
}
