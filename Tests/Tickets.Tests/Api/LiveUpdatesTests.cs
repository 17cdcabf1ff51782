using System.Net.Http.Json;
using System.Threading.Channels;
using AspireTickets.Domain.Events;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace AspireTickets.Tests.Api;

public sealed class LiveUpdatesTests : IAsyncLifetime
{
    private readonly TicketsAppFactory _app = new();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private HubConnection Connect(string? apiKey) => new HubConnectionBuilder()
        .WithUrl(new Uri(_app.Server.BaseAddress, "/hubs/tickets"), options =>
        {
            options.HttpMessageHandlerFactory = _ => _app.Server.CreateHandler();
            options.Transports = HttpTransportType.LongPolling;
            if (apiKey is not null)
            {
                options.Headers["X-Api-Key"] = apiKey;
            }
        })
        .Build();

    [Fact]
    public async Task Created_and_changed_tickets_are_pushed_to_connected_clients()
    {
        _ = _app.Server;
        var changes = Channel.CreateUnbounded<TicketChange>();
        await using var hub = Connect(TicketsAppFactory.ApiKey);
        hub.On<TicketChange>("TicketChanged", c => changes.Writer.TryWrite(c));
        await hub.StartAsync(Ct);
        var client = _app.CreateApiClient();

        var ticket = await (await client.PostAsJsonAsync("/api/tickets", new { title = "Live one" }, Ct)).ReadAsync<Ticket>();
        await client.PostAsJsonAsync($"/api/tickets/{ticket.Id}/comments", new { text = "On it" }, Ct);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var created = await changes.Reader.ReadAsync(timeout.Token);
        var updated = await changes.Reader.ReadAsync(timeout.Token);
        Assert.Equal((ticket.Id, TicketChange.Created), (created.TicketId, created.Kind));
        Assert.Equal((ticket.Id, TicketChange.Updated), (updated.TicketId, updated.Kind));
        Assert.Contains("comments", updated.Fields);
    }

    [Fact]
    public async Task Changes_written_by_other_modules_are_pushed_from_the_event_log()
    {
        _ = _app.Server;
        var client = _app.CreateApiClient();
        var ticket = await (await client.PostAsJsonAsync("/api/tickets", new { title = "Analysed elsewhere" }, Ct)).ReadAsync<Ticket>();
        var changes = Channel.CreateUnbounded<TicketChange>();
        await using var hub = Connect(TicketsAppFactory.ApiKey);
        hub.On<TicketChange>("TicketChanged", c => changes.Writer.TryWrite(c));
        await hub.StartAsync(Ct);

        // As the agents do: straight to the store, with the event in the same write (outbox).
        var store = _app.Services.GetRequiredService<ITicketStore>();
        var stored = (await store.GetAsync(ticket.Id, Ct))!;
        var editor = new TicketEditor(stored, "agents", _app.Time.GetUtcNow()).SetAnalysis(new TicketAnalysis { Category = "bug", Confidence = 0.9 });
        await store.UpdateAsync(stored, stored.Version, new TicketChanges(editor.Audit, [TicketEvent.Create(TicketEventTypes.Analyzed, ticket.Id, _app.Time.GetUtcNow())]), Ct);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        TicketChange change;
        do
        {
            change = await changes.Reader.ReadAsync(timeout.Token);
        }
        while (!change.Fields.Contains(TicketEventTypes.Analyzed));
        Assert.Equal((ticket.Id, TicketChange.Updated), (change.TicketId, change.Kind));
    }

    [Fact]
    public async Task The_hub_requires_authentication()
    {
        var anonymous = _app.CreateClient();
        var withKey = _app.CreateApiClient();

        var refused = await anonymous.PostAsync("/hubs/tickets/negotiate?negotiateVersion=1", null, Ct);
        var accepted = await withKey.PostAsync("/hubs/tickets/negotiate?negotiateVersion=1", null, Ct);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, accepted.StatusCode);
    }
}
