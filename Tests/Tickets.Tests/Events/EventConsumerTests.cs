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
