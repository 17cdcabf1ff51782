using System.Threading.Channels;
using AspireTickets.Domain.Events;
using AspireTickets.Infrastructure.Events;
using AspireTickets.Infrastructure.Events.Consumers;
using AspireTickets.Infrastructure.Events.InProcess;
using AspireTickets.Infrastructure.Events.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using static AspireTickets.Tests.Events.EventTestKit;

namespace AspireTickets.Tests.Events;

/// <summary>Registration, the hosted consumers and their idempotency, on a real host with the embedded adapters.</summary>
public sealed class EventConsumerTests : IDisposable
{
    private readonly string _directory = NewTempDirectory();

    /// <summary>Counts calls per event; fails the first call of events whose data says so.</summary>
    public sealed class CountingHandler : IEventHandler
    {
        public Dictionary<Guid, int> Calls { get; } = [];
        public Channel<TicketEvent> Succeeded { get; } = Channel.CreateUnbounded<TicketEvent>();

        public Task HandleAsync(TicketEvent ticketEvent, CancellationToken cancellationToken)
        {
            int calls;
            lock (Calls)
            {
                Calls[ticketEvent.Id] = calls = Calls.GetValueOrDefault(ticketEvent.Id) + 1;
            }
            if (calls == 1 && ticketEvent.Data == "fail-once")
            {
                throw new InvalidOperationException("first call fails");
            }
            Succeeded.Writer.TryWrite(ticketEvent);
            return Task.CompletedTask;
        }
    }

    private HostApplicationBuilder Builder(Dictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tickets:DataDirectory"] = _directory,
            ["Tickets:Events:RetryBaseDelay"] = "00:00:00.001",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        return builder;
    }

    [Fact]
    public async Task A_handler_runs_once_per_event_even_when_the_event_is_delivered_twice()
    {
        var builder = Builder();
        var handler = new CountingHandler();
        builder.Services.AddSingleton(handler);
        builder.AddEventHandler<CountingHandler>("agents", TicketEventTypes.Created);
        using var host = builder.Build();
        await host.StartAsync(Ct);
        var log = host.Services.GetRequiredService<IEventLog>();
        var processed = host.Services.GetRequiredService<ProcessedEventStore>();

        var flaky = Event(Guid.NewGuid(), data: "fail-once");
        var plain = Event(Guid.NewGuid());
        var ignored = Event(plain.TicketId, TicketEventTypes.Analyzed);
        await log.PublishAsync([flaky, plain, ignored], Ct);
        var first = await handler.Succeeded.Reader.ReadAsync(2);
        // Both again (a redelivery, e.g. the outbox re-publishing after a crash), then a marker.
        var marker = Event(plain.TicketId, seq: 9);
        await log.PublishAsync([flaky, plain, marker], Ct);
        Assert.Equal(marker.Id, (await handler.Succeeded.Reader.ReadAsync(1))[0].Id);
        await host.StopAsync(Ct);

        Assert.Equal(new[] { flaky.Id, plain.Id }.Order(), first.Select(e => e.Id).Order());
        Assert.Equal(2, handler.Calls[flaky.Id]); // failed once, retried once, not run on the redelivery
        Assert.Equal(1, handler.Calls[plain.Id]);
        Assert.False(handler.Calls.ContainsKey(ignored.Id));
        Assert.True(await processed.WasProcessedAsync("agents", plain.Id, Ct));
        Assert.False(await processed.WasProcessedAsync("agents", ignored.Id, Ct));
        Assert.Equal(3, await processed.CountAsync("agents", Ct));
    }

    [Fact]
    public async Task An_event_is_remembered_only_after_its_handler_succeeded()
    {
        var builder = Builder();
        using var host = builder.Build();
        var documents = EventTestKit.Documents(_directory);
        var processed = new ProcessedEventStore(documents, TimeProvider.System);
        var calls = 0;
        var e = Event(Guid.NewGuid());
        var idempotent = new IdempotentEventHandler("agents", processed, (_, _) =>
        {
            calls++;
            return calls == 1 ? throw new InvalidOperationException("fails") : Task.CompletedTask;
        });

        await Assert.ThrowsAsync<InvalidOperationException>(() => idempotent.HandleAsync(e, Ct));
        Assert.False(await processed.WasProcessedAsync("agents", e.Id, Ct));
        await idempotent.HandleAsync(e, Ct);
        await idempotent.HandleAsync(e, Ct);

        Assert.Equal(2, calls);
        Assert.True(await processed.WasProcessedAsync("agents", e.Id, Ct));
        Assert.False(await processed.WasProcessedAsync("other-group", e.Id, Ct));
    }

    [Fact]
    public async Task Processed_ids_past_their_retention_are_forgotten()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(T0);
        var processed = new ProcessedEventStore(EventTestKit.Documents(_directory), clock);
        var old = Enumerable.Range(0, 5).Select(i => Event(Guid.NewGuid(), seq: i)).ToList();
        foreach (var e in old)
        {
            await processed.RememberAsync("agents", e, Ct);
        }
        clock.Advance(TimeSpan.FromDays(10));
        var recent = Event(Guid.NewGuid());
        await processed.RememberAsync("agents", recent, Ct);

        Assert.Equal(5, await processed.PruneAsync(T0.AddDays(1), batchSize: 2, Ct));

        Assert.Equal(1, await processed.CountAsync("agents", Ct));
        Assert.True(await processed.WasProcessedAsync("agents", recent.Id, Ct));
        Assert.False(await processed.WasProcessedAsync("agents", old[0].Id, Ct));
    }

    [Fact]
    public void Without_a_kafka_connection_string_the_log_is_in_process()
    {
        var builder = Builder();
        builder.AddEventLog();
        builder.AddEventLog();
        using var host = builder.Build();

        Assert.IsType<InProcessEventLog>(host.Services.GetRequiredService<IEventLog>());
        Assert.Single(builder.Services, d => d.ServiceType == typeof(IEventLog));
        Assert.DoesNotContain(host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations, r => r.Name == "kafka");
    }

    [Fact]
    public void With_a_kafka_connection_string_the_log_is_kafka_with_a_health_check()
    {
        var builder = Builder(new() { ["ConnectionStrings:kafka"] = "127.0.0.1:1" });
        builder.AddOutboxDispatcher();
        using var host = builder.Build();

        Assert.IsType<KafkaEventLog>(host.Services.GetRequiredService<IEventLog>());
        Assert.NotNull(host.Services.GetRequiredService<Confluent.Kafka.IProducer<string, string>>());
        Assert.Contains(host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations, r => r.Name == "kafka");
        Assert.Contains(host.Services.GetServices<IHostedService>(), s => s is OutboxDispatcher);
    }

    [Fact]
    public async Task The_kafka_health_check_reports_an_unreachable_broker()
    {
        var builder = Builder(new() { ["ConnectionStrings:kafka"] = "127.0.0.1:1" });
        builder.AddEventLog();
        using var host = builder.Build();

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == "kafka", Ct);

        Assert.Equal(HealthStatus.Unhealthy, report.Entries["kafka"].Status);
    }

    /// <summary>A log whose first consumer fails outright (as a Kafka consumer with a fatal error would).</summary>
    private sealed class FailingOnceLog(IEventLog inner) : IEventLog
    {
        public int Calls;

        public Task PublishAsync(IReadOnlyList<TicketEvent> events, CancellationToken cancellationToken = default) => inner.PublishAsync(events, cancellationToken);

        public Task ConsumeAsync(string consumerGroup, Func<TicketEvent, CancellationToken, Task> handler, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref Calls) == 1
                ? Task.FromException(new InvalidOperationException("consumer crashed"))
                : inner.ConsumeAsync(consumerGroup, handler, cancellationToken);

        public Task RedeliverAsync(TicketEvent ticketEvent, string consumerGroup, CancellationToken cancellationToken = default) =>
            inner.RedeliverAsync(ticketEvent, consumerGroup, cancellationToken);
    }

    [Fact]
    public async Task A_consumer_that_stops_with_an_error_is_restarted()
    {
        var builder = Builder();
        var handler = new CountingHandler();
        builder.Services.AddSingleton(handler);
        builder.AddEventHandler<CountingHandler>("agents");
        builder.Services.AddSingleton(sp => new FailingOnceLog(sp.GetRequiredService<InProcessEventLog>()));
        builder.Services.AddSingleton<IEventLog>(sp => sp.GetRequiredService<FailingOnceLog>());
        using var host = builder.Build();
        await host.StartAsync(Ct);

        var e = Event(Guid.NewGuid());
        await host.Services.GetRequiredService<IEventLog>().PublishAsync([e], Ct);

        Assert.Equal(e.Id, (await handler.Succeeded.Reader.ReadAsync(1))[0].Id);
        Assert.Equal(2, host.Services.GetRequiredService<FailingOnceLog>().Calls);
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task With_the_outbox_dispatcher_every_ticket_write_wakes_it()
    {
        var builder = Builder();
        builder.AddOutboxDispatcher();
        using var host = builder.Build();
        var store = host.Services.GetRequiredService<AspireTickets.Domain.Storage.ITicketStore>();
        var signal = host.Services.GetRequiredService<OutboxSignal>();
        await ((AspireTickets.Infrastructure.Storage.ITicketStoreSchema)store).EnsureCreatedAsync(Ct);
        Assert.False(await signal.WaitAsync(TimeSpan.Zero, Ct));

        var ticket = new AspireTickets.Domain.Tickets.Ticket { SourceKey = "test:signal", Title = "Signal", CreatedAt = T0, UpdatedAt = T0 };
        await store.CreateAsync(ticket, new([], [TicketEvent.Create(TicketEventTypes.Created, ticket.Id, T0)]), Ct);

        Assert.True(await signal.WaitAsync(TimeSpan.Zero, Ct));
        Assert.Single(await store.GetUnpublishedEventsAsync(10, Ct));
    }

    public void Dispose() => DeleteDirectory(_directory);
}
