using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AspireTickets.Domain.Diagnostics;
using AspireTickets.Domain.Events;
using AspireTickets.Domain.Locking;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;
using AspireTickets.Infrastructure.Caching;
using AspireTickets.Infrastructure.Escalation;
using AspireTickets.Infrastructure.Locking;
using AspireTickets.Infrastructure.Notifications;
using AspireTickets.Infrastructure.Events;
using AspireTickets.Tests.Api;
using AspireTickets.Tests.Events;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AspireTickets.Tests.Operations;

public sealed class EscalationTests : IAsyncLifetime
{
    private readonly TicketsAppFactory _app = new();
    private readonly EventFlowApiTests.RecordingHandler _escalatedEvents = new();
    private WebApplicationFactory<Program>? _web;
    private HttpClient? _http;

    // Created on first use, so a test can change settings before the app starts; records the ticket.escalated events it publishes.
    private WebApplicationFactory<Program> Web => _web ??= _app.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
    {
        services.AddSingleton(_escalatedEvents);
        services.AddEventHandler<EventFlowApiTests.RecordingHandler>("escalation-tests", TicketEventTypes.Escalated);
    }));

    private HttpClient Client
    {
        get
        {
            if (_http is null)
            {
                _http = Web.CreateClient();
                _http.DefaultRequestHeaders.Add("X-Api-Key", TicketsAppFactory.ApiKey);
            }
            return _http;
        }
    }
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The factory's clock starts on Monday 2026-03-02 at 09:00 UTC.
    private static readonly DateTimeOffset Monday9 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public ValueTask InitializeAsync()
    {
        _app.Settings["Notifications:Delivery:ScheduleRetries"] = "false";
        return ValueTask.CompletedTask;
    }

    // Disposing the factory disposes the derived one (_web) too.
    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task<Ticket> CreateAsync(string priority, string title = "Checkout is down")
    {
        var response = await Client.PostAsJsonAsync("/api/tickets", new { title, priority, assignee = "erin@example.com" }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadAsync<Ticket>();
    }

    private async Task<EscalationCheckResult> CheckAsync()
    {
        var response = await Client.PostAsync("/api/escalations/check", null, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync<EscalationCheckResult>();
    }

    private async Task<List<AuditEntry>> EscalationAuditAsync(Guid id) =>
        [.. (await (await Client.GetAsync($"/api/tickets/{id}/audit", Ct)).ReadAsync<List<AuditEntry>>()).Where(a => a.Field == "escalation")];

    private void At(DateTimeOffset time) => _app.Time.SetUtcNow(time);

    [Fact]
    public async Task A_critical_ticket_opened_at_9_is_escalated_at_the_first_check_after_9_15_and_not_before()
    {
        var ticket = await CreateAsync("Critical");
        Assert.Equal(Monday9.AddMinutes(15), ticket.Sla.FirstResponseDueAt);

        foreach (var minutes in new[] { 5, 10, 15 })
        {
            At(Monday9.AddMinutes(minutes));
            Assert.Empty((await CheckAsync()).Escalations);
        }

        At(Monday9.AddMinutes(20));
        var result = await CheckAsync();
        var escalation = Assert.Single(result.Escalations);
        Assert.Equal((ticket.Id, 1), (escalation.TicketId, escalation.Level));
        Assert.Equal(["assignee", "team"], escalation.Audience);

        var audit = Assert.Single(await EscalationAuditAsync(ticket.Id));
        Assert.Equal((EscalationService.Actor, "1", Monday9.AddMinutes(20)), (audit.Actor, audit.NewValue, audit.At));
        Assert.Contains("first response overdue", audit.Reason, StringComparison.Ordinal);

        // Checking again changes nothing: a level is escalated once.
        At(Monday9.AddMinutes(35));
        Assert.Empty((await CheckAsync()).Escalations);
        Assert.Single(await EscalationAuditAsync(ticket.Id));
    }

    [Fact]
    public async Task The_scheduled_check_runs_every_interval_on_the_product_clock()
    {
        _app.Settings["Tickets:Escalation:Schedule"] = "true";
        _app.Settings["Tickets:Escalation:Interval"] = "00:15:00";
        var ticket = await CreateAsync("Critical");
        var escalation = Web.Services.GetRequiredService<EscalationService>();

        _app.Time.Advance(TimeSpan.FromMinutes(15)); // 09:15: due, not past
        await WaitForChecksAsync(escalation, 1);
        Assert.Empty(await EscalationAuditAsync(ticket.Id));

        _app.Time.Advance(TimeSpan.FromMinutes(15)); // 09:30
        await WaitForChecksAsync(escalation, 2);
        var audit = Assert.Single(await EscalationAuditAsync(ticket.Id));
        Assert.Equal(Monday9.AddMinutes(30), audit.At);
    }

    private static async Task WaitForChecksAsync(EscalationService escalation, long count)
    {
        // The timer fires on Advance; the check itself completes asynchronously right after.
        for (var i = 0; i < 200 && escalation.CompletedChecks < count; i++)
        {
            await Task.Delay(50, Ct);
        }
        Assert.Equal(count, escalation.CompletedChecks);
    }

    [Fact]
    public async Task Business_hours_pause_the_clock()
    {
        var policy = new
        {
            priority = "Critical",
            firstResponse = "00:15:00",
            resolution = "04:00:00",
            calendar = new { timeZone = "UTC", workingDays = new[] { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday" }, workdayStart = "09:00", workdayEnd = "17:00" },
        };
        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsJsonAsync("/api/sla-policies/critical", policy, Ct)).StatusCode);

        var friday = new DateTimeOffset(2026, 3, 6, 16, 55, 0, TimeSpan.Zero);
        At(friday);
        var ticket = await CreateAsync("Critical");
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 9, 10, 0, TimeSpan.Zero), ticket.Sla.FirstResponseDueAt);

        // 24/7 this would be overdue since Friday 17:10; in working time it is not, all weekend long.
        foreach (var time in new[] { friday.AddMinutes(20), friday.AddDays(1), friday.AddDays(2).AddHours(12), new DateTimeOffset(2026, 3, 9, 9, 5, 0, TimeSpan.Zero) })
        {
            At(time);
            Assert.Empty((await CheckAsync()).Escalations);
        }

        At(new DateTimeOffset(2026, 3, 9, 9, 11, 0, TimeSpan.Zero));
        Assert.Equal(1, Assert.Single((await CheckAsync()).Escalations).Level);
    }

    [Fact]
    public async Task Resolving_stops_the_escalation()
    {
        var resolved = await CreateAsync("Critical", "Resolved in time");
        var open = await CreateAsync("Critical", "Still open");
        At(Monday9.AddMinutes(10));
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/tickets/{resolved.Id}")
        {
            Content = new StringContent("""{"status":"Resolved"}""", Encoding.UTF8, "application/merge-patch+json"),
        };
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(patch, Ct)).StatusCode);

        At(Monday9.AddDays(2));
        var result = await CheckAsync();
        Assert.All(result.Escalations, e => Assert.Equal(open.Id, e.TicketId));
        Assert.Equal([1, 2, 3], result.Escalations.Select(e => e.Level));
        Assert.Empty(await EscalationAuditAsync(resolved.Id));
    }

    [Fact]
    public async Task Levels_notify_further_up_and_level_two_raises_the_priority_with_an_event()
    {
        // High: first response due 10:00, resolution due Tuesday 09:00, admins at Tuesday 21:00 (half the target overdue).
        var ticket = await CreateAsync("High");
        using var escalatedMetric = new MetricCollector<long>(Web.Services.GetRequiredService<IMeterFactory>(), TicketsTelemetry.MeterName, "tickets.escalated");

        At(Monday9.AddHours(1).AddMinutes(1));
        Assert.Equal([1], (await CheckAsync()).Escalations.Select(e => e.Level));

        At(Monday9.AddDays(1).AddMinutes(1));
        var second = Assert.Single((await CheckAsync()).Escalations);
        Assert.Equal((2, TicketPriority.High, TicketPriority.Critical), (second.Level, second.PreviousPriority, second.Priority));
        Assert.Equal(["lead"], second.Audience);

        var stored = await (await Client.GetAsync($"/api/tickets/{ticket.Id}", Ct)).ReadAsync<Ticket>();
        Assert.Equal(TicketPriority.Critical, stored.Priority);
        // The promise stands: raising the priority does not move the due times.
        Assert.Equal(ticket.Sla.ResolutionDueAt, stored.Sla.ResolutionDueAt);
        var audit = await (await Client.GetAsync($"/api/tickets/{ticket.Id}/audit", Ct)).ReadAsync<List<AuditEntry>>();
        var raise = Assert.Single(audit, a => a.Field == "priority");
        Assert.Equal(("High", "Critical", EscalationService.Actor), (raise.OldValue, raise.NewValue, raise.Actor));
        Assert.Contains("priority raised", raise.Reason, StringComparison.Ordinal);

        At(Monday9.AddDays(1).AddHours(11).AddMinutes(59));
        Assert.Empty((await CheckAsync()).Escalations);
        At(Monday9.AddDays(1).AddHours(12).AddMinutes(1));
        var third = Assert.Single((await CheckAsync()).Escalations);
        Assert.Equal(3, third.Level);
        Assert.Equal(["admins"], third.Audience);

        Assert.Equal([1, 2, 3], escalatedMetric.GetMeasurementSnapshot().Select(m => (int)m.Tags["level"]!));

        // Each escalation left through the outbox as a ticket.escalated event on the event log.
        var escalated = (await _escalatedEvents.Handled.Reader.ReadAsync(3)).Select(h => h.Event).ToList();
        Assert.All(escalated, e => Assert.Equal((ticket.Id, TicketEventTypes.Escalated), (e.TicketId, e.Type)));
        Assert.Equal([1, 2, 3], escalated.Select(e => JsonDocument.Parse(e.Data!).RootElement.GetProperty("level").GetInt32()));

        var listed = await (await Client.GetAsync($"/api/escalations?ticketId={ticket.Id}", Ct)).ReadAsync<List<EscalationRecord>>();
        Assert.Equal([1, 2, 3], listed.Select(r => r.Level));
    }

    [Fact]
    public async Task A_near_window_escalates_before_the_due_time()
    {
        _app.Settings["Tickets:Escalation:NearWindow"] = "00:10:00";
        var ticket = await CreateAsync("Critical");
        At(Monday9.AddMinutes(4));
        Assert.Empty((await CheckAsync()).Escalations);
        At(Monday9.AddMinutes(6));
        var escalation = Assert.Single((await CheckAsync()).Escalations);
        Assert.Contains("first response due soon", escalation.Reason, StringComparison.Ordinal);
        Assert.Equal(ticket.Id, escalation.TicketId);
    }

    [Fact]
    public async Task Concurrent_checks_never_escalate_a_level_twice()
    {
        var tickets = new List<Ticket>();
        for (var i = 0; i < 5; i++)
        {
            tickets.Add(await CreateAsync("Critical", $"Ticket {i}"));
        }
        At(Monday9.AddMinutes(20));

        // Two checks in one service: the lock lets one run; the other reports it did not.
        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(CheckAsync, Ct)));
        Assert.Equal(5, results.Sum(r => r.Escalations.Count));

        // Two "replicas" whose locks do not see each other (a lost lease): the per-level record still holds.
        At(Monday9.AddDays(2));
        var services = Web.Services;
        var replicas = Enumerable.Range(0, 3).Select(_ => new EscalationService(
            services.GetRequiredService<ITicketStore>(),
            services.GetRequiredService<IDocumentStore>(),
            new InProcessDistributedLock(_app.Time),
            services.GetRequiredService<NotificationDispatcher>(),
            services.GetRequiredService<IOptionsMonitor<EscalationOptions>>(),
            services.GetRequiredService<OperationsMetrics>(),
            _app.Time,
            NullLogger<EscalationService>.Instance)).ToList();
        var replicaResults = await Task.WhenAll(replicas.Select(r => Task.Run(() => r.CheckAsync(Ct), Ct)));
        Assert.Equal(10, replicaResults.Sum(r => r.Escalations.Count));

        // Each level exactly once. With racing replicas the audit order of levels 2 and 3 may interleave.
        foreach (var ticket in tickets)
        {
            Assert.Equal(["1", "2", "3"], (await EscalationAuditAsync(ticket.Id)).Select(a => a.NewValue).Order());
        }
    }

    [Fact]
    public async Task A_check_is_skipped_while_another_replica_holds_the_lock()
    {
        await CreateAsync("Critical");
        At(Monday9.AddMinutes(20));
        var locks = Web.Services.GetRequiredService<IDistributedLock>();
        var lease = await locks.TryAcquireAsync(EscalationService.LockName, TimeSpan.FromMinutes(5), Ct);
        Assert.NotNull(lease);

        var skipped = await CheckAsync();
        Assert.False(skipped.Ran);
        Assert.Empty(skipped.Escalations);

        await locks.ReleaseAsync(lease!, Ct);
        Assert.Single((await CheckAsync()).Escalations);
    }
}
