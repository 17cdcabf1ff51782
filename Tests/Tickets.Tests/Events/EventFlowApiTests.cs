using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using AspireTickets.Domain.Events;
using AspireTickets.Domain.Storage;
using AspireTickets.Infrastructure.Events;
using AspireTickets.Infrastructure.Events.Consumers;
using AspireTickets.Tests.Api;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static AspireTickets.Tests.Events.EventTestKit;

namespace AspireTickets.Tests.Events;

/// <summary>The event plumbing inside the embedded product: outbox → in-process log → registered handlers; dead-letter API.</summary>
public sealed class EventFlowApiTests
{
    /// <summary>Records what it handles with the span it ran in; fails while <see cref="Failing"/> is set.</summary>
    public sealed class RecordingHandler : IEventHandler
    {
        public volatile bool Failing;
        public Channel<(TicketEvent Event, string? SpanParent)> Handled { get; } = Channel.CreateUnbounded<(TicketEvent, string?)>();

        public Task HandleAsync(TicketEvent ticketEvent, CancellationToken cancellationToken)
        {
            if (Failing)
            {
                throw new InvalidOperationException($"handler refuses {ticketEvent.Id}");
            }
            Handled.Writer.TryWrite((ticketEvent, Activity.Current?.ParentId));
            return Task.CompletedTask;
        }
    }

    private static (WebApplicationFactory<Program> App, HttpClient Client) Start(TicketsAppFactory factory, RecordingHandler handler, string group)
    {
        var app = factory.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
        {
            services.AddSingleton(handler);
            services.AddEventHandler<RecordingHandler>(group, TicketEventTypes.Created);
        }));
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", TicketsAppFactory.ApiKey);
        return (app, client);
    }

    private static async Task<Guid> CreateTicketAsync(HttpClient client, string title)
    {
        var response = await client.PostAsJsonAsync("/api/tickets", new { title, description = "The export button does nothing." }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task Creating_a_ticket_delivers_ticket_created_in_the_requests_trace_and_empties_the_outbox()
    {
        SpanRecorder.EnsureStarted();
        await using var factory = new TicketsAppFactory();
        var handler = new RecordingHandler();
        var (app, client) = Start(factory, handler, "api-tests");
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();
        client.DefaultRequestHeaders.Add("traceparent", $"00-{traceId}-{callerSpan}-01");

        var id = await CreateTicketAsync(client, "Export button broken");

        var (delivered, spanParent) = (await handler.Handled.Reader.ReadAsync(1))[0];
        Assert.Equal(id, delivered.TicketId);
        Assert.Equal(TicketEventTypes.Created, delivered.Type);
        // The event carries the traceparent of the request's server span: same trace as the caller, its own span.
        var parts = delivered.TraceParent!.Split('-');
        Assert.Equal(["00", traceId.ToString()], parts[..2]);
        Assert.NotEqual(callerSpan.ToString(), parts[2]);
        // The handler ran in a consume span whose parent is exactly that traceparent.
        Assert.Equal(delivered.TraceParent, spanParent);
        Assert.Contains(SpanRecorder.ForTrace(traceId), a => a.OperationName == "publish ticket.created" && a.ParentId == delivered.TraceParent);

        var store = app.Services.GetRequiredService<ITicketStore>();
        await EventuallyAsync(async () => (await store.GetUnpublishedEventsAsync(10, Ct)).Count == 0, "outbox published");
        await EventuallyAsync(() => app.Services.GetRequiredService<ProcessedEventStore>().WasProcessedAsync("api-tests", delivered.Id, Ct), "event remembered");
    }

    [Fact]
    public async Task Dead_letters_are_listed_shown_replayed_and_deleted_through_the_api()
    {
        await using var factory = new TicketsAppFactory();
        factory.Settings["Tickets:Events:MaxAttempts"] = "2";
        factory.Settings["Tickets:Events:RetryBaseDelay"] = "00:00:00.001";
        var handler = new RecordingHandler { Failing = true };
        var (_, client) = Start(factory, handler, "api-failing");

        var ticketId = await CreateTicketAsync(client, "Cannot log in");
        JsonElement letter = default;
        await EventuallyAsync(async () =>
        {
            var page = await (await client.GetAsync("/api/dead-letters?group=api-failing", Ct)).ReadJsonAsync();
            if (page.GetProperty("totalCount").GetInt64() == 0)
            {
                return false;
            }
            letter = page.GetProperty("items")[0];
            return true;
        }, "a dead letter");

        Assert.Equal("api-failing", letter.GetProperty("consumerGroup").GetString());
        Assert.Equal(2, letter.GetProperty("attempts").GetInt32());
        Assert.Contains("handler refuses", letter.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(ticketId, letter.GetProperty("event").GetProperty("ticketId").GetGuid());
        var letterId = letter.GetProperty("id").GetGuid();
        var shown = await client.GetAsync($"/api/dead-letters/{letterId}", Ct);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Equal(letter.GetProperty("event").GetProperty("id").GetGuid(), (await shown.ReadJsonAsync()).GetProperty("event").GetProperty("id").GetGuid());

        handler.Failing = false;
        var replay = await client.PostAsync($"/api/dead-letters/{letterId}/replay", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.Equal(ticketId, (await handler.Handled.Reader.ReadAsync(1))[0].Event.TicketId);
        var gone = await client.GetAsync($"/api/dead-letters/{letterId}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("application/problem+json", gone.Content.Headers.ContentType?.MediaType);

        handler.Failing = true;
        await CreateTicketAsync(client, "Second failure");
        Guid second = default;
        await EventuallyAsync(async () =>
        {
            var items = (await (await client.GetAsync("/api/dead-letters", Ct)).ReadJsonAsync()).GetProperty("items");
            return items.GetArrayLength() == 1 && (second = items[0].GetProperty("id").GetGuid()) != Guid.Empty;
        }, "the second dead letter");
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/dead-letters/{second}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/dead-letters/{second}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync($"/api/dead-letters/{second}/replay", null, Ct)).StatusCode);
    }

    [Fact]
    public async Task Bad_paging_is_a_validation_problem_and_a_key_is_required()
    {
        await using var factory = new TicketsAppFactory();
        var client = factory.CreateApiClient();

        var bad = await client.GetAsync("/api/dead-letters?page=0&pageSize=5000", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("page", out _));
        Assert.True(errors.TryGetProperty("pageSize", out _));

        var empty = await (await client.GetAsync("/api/dead-letters", Ct)).ReadJsonAsync();
        Assert.Equal(0, empty.GetProperty("totalCount").GetInt64());

        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync("/api/dead-letters", Ct)).StatusCode);
    }
}
