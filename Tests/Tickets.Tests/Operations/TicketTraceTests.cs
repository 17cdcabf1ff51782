using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using AspireTickets.Agents.Workflow;
using AspireTickets.Domain.Diagnostics;
using AspireTickets.Infrastructure.Escalation;
using AspireTickets.Tests.Api;
using AspireTickets.Tests.Ingestion;
using AspireTickets.Tests.Operations.Receivers;

namespace AspireTickets.Tests.Operations;

/// <summary>
/// One ticket is one trace: the webhook request that brought it, its ingestion, the event log, every workflow step
/// and, hours later, its escalation and the notification, all in one tree — and the issue's metrics are recorded.
/// </summary>
public sealed class TicketTraceTests : IAsyncDisposable
{
    private static readonly string[] WorkflowStepSpans = [.. WorkflowSteps.All.Select(s => $"agents.workflow.{s}")];

    private readonly TicketsAppFactory _app = new();
    private readonly LoopbackHttpReceiver _receiver = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();
    private readonly SpanRecorder _recorder = new(TicketsTelemetry.ActivitySourceName, "Microsoft.AspNetCore");
    private readonly MeterListener _meters = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public TicketTraceTests()
    {
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == TicketsTelemetry.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _meters.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _meters.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }
        _measurements.Enqueue((instrument.Name, value, copy));
    }

    public async ValueTask DisposeAsync()
    {
        _recorder.Dispose();
        _meters.Dispose();
        await _app.DisposeAsync();
        _receiver.Dispose();
    }

    [Fact]
    public async Task One_ingested_ticket_is_one_connected_trace_from_the_webhook_to_the_escalation_notification()
    {
        _app.Settings["Agents:Workflow:ConsumeEvents"] = "true";
        _app.Settings["Ingestion:Sources:jira:Secret"] = IngestionTestHost.JiraSecret;
        _app.Settings["Notifications:Delivery:ScheduleRetries"] = "false";
        using var api = _app.CreateApiClient();
        var channel = await api.PostAsJsonAsync("/api/notification-channels", new { name = "ops", kind = "Webhook", url = $"{_receiver.Url}/hooks", secret = "whsec-trace-0123456789" }, Ct);
        Assert.Equal(HttpStatusCode.Created, channel.StatusCode);

        // A Critical Jira issue, filed at 08:15 UTC.
        using var anonymous = _app.CreateClient();
        var ingested = await anonymous.SendAsync(IngestionTestHost.Jira(Payloads.JiraIssueCreated("TRACE-1")), Ct);
        Assert.Equal(HttpStatusCode.Accepted, ingested.StatusCode);
        var ticketId = (await ingested.ReadJsonAsync()).GetProperty("ticketId").GetGuid();
        var tag = ticketId.ToString();

        var workflow = await WaitForSpanAsync(s => s.OperationName == "agents.workflow" && (string?)s.GetTagItem("ticket.id") == tag);
        Assert.Equal(nameof(WorkflowRunStatus.Succeeded), workflow.GetTagItem("workflow.status"));

        // Past the Critical resolution target (4 h): levels 1 and 2, each with a webhook notification.
        _app.Time.Advance(TimeSpan.FromHours(4));
        var check = await (await api.PostAsync("/api/escalations/check", null, Ct)).ReadAsync<EscalationCheckResult>();
        Assert.Equal(new[] { 1, 2 }, check.Escalations.Where(e => e.TicketId == ticketId).Select(e => e.Level).Order());
        Assert.Equal(2, _receiver.Requests.Count(r => r.Path == "/hooks"));
        await WaitForSpanAsync(s => s.OperationName == "process ticket.escalated" && (string?)s.GetTagItem("tickets.ticket.id") == tag);

        // The ticket's trace: everything sharing the workflow's trace id, begun by the webhook request.
        var trace = _recorder.Spans.Where(s => s.TraceId == workflow.TraceId).ToList();
        var ingest = Assert.Single(trace, s => s.OperationName == "ingest jira");
        var request = Assert.Single(trace, s => s.SpanId == ingest.ParentSpanId);
        Assert.Equal(("Microsoft.AspNetCore", ActivityKind.Server), (request.Source.Name, request.Kind));
        var names = trace.Select(s => s.OperationName).ToHashSet();
        string[] expected =
        [
            "ingest jira",
            "publish ticket.created", "process ticket.created",
            "agents.workflow", .. WorkflowStepSpans,
            "publish ticket.analyzed",
            "escalation.escalate", "notification.deliver",
            "publish ticket.escalated", "process ticket.escalated",
        ];
        Assert.All(expected, name => Assert.Contains(name, names));

        // One tree: the webhook request is the only root; every other span's parent is in the trace.
        var ids = trace.Select(s => s.SpanId).ToHashSet();
        var roots = trace.Where(s => !ids.Contains(s.ParentSpanId)).ToList();
        Assert.Equal(new[] { request.SpanId }, roots.Select(r => r.SpanId));

        // Both escalations hang under the ticket's ingestion, link back to the check that found them, and their
        // notifications under them.
        var escalations = trace.Where(s => s.OperationName == "escalation.escalate").ToList();
        Assert.Equal(2, escalations.Count);
        var checkSpan = Assert.Single(_recorder.Spans, s => s.OperationName == "escalation.check" && escalations[0].Links.Any(l => l.Context.SpanId == s.SpanId));
        Assert.NotEqual(request.TraceId, checkSpan.TraceId);
        Assert.All(escalations, e => Assert.Equal(ingest.SpanId, e.ParentSpanId));
        Assert.All(trace.Where(s => s.OperationName == "notification.deliver"), n => Assert.Contains(n.ParentSpanId, escalations.Select(e => e.SpanId)));
        Assert.All(WorkflowStepSpans, name =>
        {
            // Every step has its span, run or skipped (quality is, without a suggestion to check), under the run's.
            var step = Assert.Single(trace, s => s.OperationName == name);
            Assert.Equal(workflow.SpanId, step.ParentSpanId);
            Assert.NotNull(step.GetTagItem(TicketWorkflow.StepStatusTag));
        });

        // The issue's metrics were recorded along the way.
        Assert.Contains(_measurements, m => m.Instrument == "tickets.ingested" && (string?)m.Tags["source"] == "jira" && (string?)m.Tags["result"] == "created");
        Assert.Contains(_measurements, m => m.Instrument == "agents.workflow.runs" && (string?)m.Tags["status"] == nameof(WorkflowRunStatus.Succeeded));
        var ran = trace.Where(s => s.OperationName.StartsWith("agents.workflow.", StringComparison.Ordinal) && (string?)s.GetTagItem(TicketWorkflow.StepStatusTag) != nameof(StepStatus.Skipped))
            .Select(s => s.OperationName["agents.workflow.".Length..]).ToList();
        Assert.Contains(WorkflowSteps.Update, ran);
        Assert.All(ran, step => Assert.Contains(_measurements, m => m.Instrument == "agents.workflow.step.duration" && (string?)m.Tags["step"] == step));
        Assert.Contains(_measurements, m => m.Instrument == "tickets.escalated" && m.Tags["level"] is 2);
        Assert.Contains(_measurements, m => m.Instrument == "tickets.notifications.sent" && (string?)m.Tags["channel.kind"] == "Webhook");
    }

    private async Task<Activity> WaitForSpanAsync(Func<Activity, bool> match)
    {
        // Real time: the event log's consumers run on their own threads; the fake clock does not drive them.
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(60); waited += TimeSpan.FromMilliseconds(50))
        {
            if (_recorder.Spans.FirstOrDefault(match) is { } span)
            {
                return span;
            }
            await Task.Delay(50, Ct);
        }
        throw new TimeoutException("The expected span did not end within 60 s.");
    }
}
