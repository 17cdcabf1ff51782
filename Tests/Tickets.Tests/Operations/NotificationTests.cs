using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.SQS;
using AspireTickets.Domain.Diagnostics;
using AspireTickets.Domain.Tickets;
using AspireTickets.Infrastructure.Escalation;
using AspireTickets.Infrastructure.Notifications;
using AspireTickets.Tests.Api;
using AspireTickets.Tests.Operations.Receivers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace AspireTickets.Tests.Operations;

public sealed class NotificationTests : IAsyncLifetime
{
    private const string Secret = "whsec-0123456789abcdef";
    private static readonly DateTimeOffset Monday9 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly TicketsAppFactory _app = new();
    private readonly LoopbackHttpReceiver _http = new();
    private readonly LoopbackSmtpServer _smtp = new();
    private HttpClient? _client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private HttpClient Client => _client ??= _app.CreateApiClient();

    public ValueTask InitializeAsync()
    {
        _app.Settings["Notifications:Delivery:ScheduleRetries"] = "false";
        _app.Settings["Notifications:Smtp:Host"] = "127.0.0.1";
        _app.Settings["Notifications:Smtp:Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _app.Settings["Notifications:Smtp:Security"] = "None";
        _app.Settings["Notifications:Smtp:From"] = "tickets@example.com";
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _http.Dispose();
        _smtp.Dispose();
    }

    private async Task<JsonElement> AddChannelAsync(object channel)
    {
        var response = await Client.PostAsJsonAsync("/api/notification-channels", channel, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    private async Task<Ticket> OverdueCriticalAsync(string title = "Checkout is down")
    {
        var response = await Client.PostAsJsonAsync("/api/tickets", new { title, priority = "Critical", assignee = "erin@example.com" }, Ct);
        var ticket = await response.ReadAsync<Ticket>();
        _app.Time.SetUtcNow(Monday9.AddMinutes(20));
        return ticket;
    }

    private async Task<EscalationCheckResult> CheckAsync() =>
        await (await Client.PostAsync("/api/escalations/check", null, Ct)).ReadAsync<EscalationCheckResult>();

    private async Task<List<NotificationDelivery>> DeliveriesAsync(string? status = null) =>
        await (await Client.GetAsync("/api/notifications/deliveries" + (status is null ? "" : $"?status={status}"), Ct)).ReadAsync<List<NotificationDelivery>>();

    [Fact]
    public async Task An_escalation_reaches_webhook_slack_and_email_with_the_right_content_and_signature()
    {
        await AddChannelAsync(new { name = "ops webhook", kind = "Webhook", url = $"{_http.Url}/hooks/tickets", secret = Secret });
        await AddChannelAsync(new { name = "#support", kind = "Slack", url = $"{_http.Url}/slack/T000/B000/XXXX" });
        await AddChannelAsync(new { name = "support mail", kind = "Email", recipients = new[] { "support-team@example.com" } });
        await AddChannelAsync(new { name = "admins only", kind = "Webhook", url = $"{_http.Url}/hooks/admins", secret = Secret, levels = new[] { 3 } });

        using var recorder = new SpanRecorder();
        var spans = recorder.Spans;

        var ticket = await OverdueCriticalAsync();
        var result = await CheckAsync();
        Assert.Equal(3, Assert.Single(result.Escalations).Notifications);

        // Webhook: the JSON notification, signed with the channel's secret over the exact body.
        var webhook = Assert.Single(_http.Requests, r => r.Path == "/hooks/tickets");
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), webhook.Body));
        Assert.Equal(expected, webhook.Headers["X-Signature"]);
        Assert.Equal("ticket.escalated", webhook.Headers["X-AspireTickets-Event"]);
        var notification = JsonDocument.Parse(webhook.Body).RootElement.GetProperty("notification");
        Assert.Equal(ticket.Id, notification.GetProperty("ticketId").GetGuid());
        Assert.Equal(1, notification.GetProperty("level").GetInt32());
        Assert.Equal("Checkout is down", notification.GetProperty("title").GetString());
        Assert.Equal(["assignee", "team"], notification.GetProperty("audience").EnumerateArray().Select(a => a.GetString()));
        Assert.DoesNotContain(_http.Requests, r => r.Path == "/hooks/admins");

        // Slack: an incoming-webhook message.
        var slack = JsonDocument.Parse(Assert.Single(_http.Requests, r => r.Path.StartsWith("/slack/", StringComparison.Ordinal)).Body).RootElement;
        Assert.Equal(":rotating_light: Escalation level 1: Checkout is down", slack.GetProperty("text").GetString());
        Assert.Contains("first response overdue", slack.GetProperty("blocks")[1].GetProperty("text").GetProperty("text").GetString(), StringComparison.Ordinal);

        // E-mail: to the channel's recipients and, at level 1, the assignee.
        var mail = Assert.Single(_smtp.Messages);
        Assert.Equal("tickets@example.com", mail.From);
        Assert.Equal(["support-team@example.com", "erin@example.com"], mail.Recipients);
        Assert.Equal("[AspireTickets] Escalation level 1: Checkout is down", mail.Message.Subject);
        Assert.Contains($"Ticket {ticket.Id} \"Checkout is down\" is escalated to level 1", mail.Message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Due: 2026-03-02 09:15 UTC", mail.Message.TextBody, StringComparison.Ordinal);

        var deliveries = await DeliveriesAsync("delivered");
        Assert.Equal(3, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal((1, DeliveryStatus.Delivered), (d.Attempts, d.Status)));

        // One trace: the escalation and each delivery below it (other tests run in parallel, so go by the ticket). The
        // escalation continues the ticket's own trace and links to the check that found it; when the ticket was created
        // outside any trace (no listener on the API request here) it stays under the check.
        var deliver = spans.Where(s => s.OperationName == "notification.deliver" && Equals(s.GetTagItem("ticket.id"), ticket.Id)).ToList();
        Assert.Equal(3, deliver.Count);
        Assert.All(deliver, d => Assert.Equal("escalation.escalate", d.Parent?.OperationName));
        var escalate = deliver[0].Parent!;
        var check = Assert.Single(spans, s => s.OperationName == "escalation.check" && (escalate.ParentSpanId == s.SpanId || escalate.Links.Any(l => l.Context.SpanId == s.SpanId)));
        Assert.Equal(escalate.ParentSpanId == check.SpanId, ticket.Origin is null);
        Assert.Single(deliver.Select(d => d.TraceId).Distinct());
    }

    [Fact]
    public async Task A_failed_delivery_is_retried_with_backoff_and_recorded()
    {
        using var sent = new MetricCollector<long>(_app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), TicketsTelemetry.MeterName, "tickets.notifications.sent");
        using var failed = new MetricCollector<long>(_app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), TicketsTelemetry.MeterName, "tickets.notifications.failed");
        await AddChannelAsync(new { name = "flaky", kind = "Webhook", url = $"{_http.Url}/hooks/flaky", secret = Secret });
        _http.Statuses.Enqueue(500);
        using var recorder = new SpanRecorder();
        var spans = recorder.Spans;

        var ticket = await OverdueCriticalAsync();
        await CheckAsync();
        var pending = Assert.Single(await DeliveriesAsync("pending"));
        Assert.Equal(1, pending.Attempts);
        Assert.Contains("500", pending.LastError, StringComparison.Ordinal);
        Assert.Equal(_app.Time.GetUtcNow().AddSeconds(30), pending.NextAttemptAt);

        // Not yet due: nothing is retried.
        _app.Time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(0, (await (await Client.PostAsync("/api/notifications/deliveries/retry", null, Ct)).ReadJsonAsync()).GetProperty("retried").GetInt32());

        _app.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, (await (await Client.PostAsync("/api/notifications/deliveries/retry", null, Ct)).ReadJsonAsync()).GetProperty("retried").GetInt32());
        var delivered = Assert.Single(await DeliveriesAsync("delivered"));
        Assert.Equal((pending.Id, 2, (string?)null), (delivered.Id, delivered.Attempts, delivered.LastError));
        Assert.Empty(await DeliveriesAsync("pending"));
        Assert.Equal(2, _http.Requests.Count);
        // Both attempts carry the same delivery id, so the receiver can tell a retry from a new notification.
        Assert.Single(_http.Requests.Select(r => r.Headers["X-AspireTickets-Delivery"]).Distinct());

        Assert.Equal(1, sent.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(1, failed.GetMeasurementSnapshot().EvaluateAsCounter());

        // The retry ran under the retry request, yet continues the escalation's trace, below the escalation.
        var attempts = spans.Where(s => s.OperationName == "notification.deliver" && Equals(s.GetTagItem("ticket.id"), ticket.Id)).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Equal(attempts[0].ParentSpanId, attempts[1].ParentSpanId);
        Assert.Equal(attempts[0].TraceId, attempts[1].TraceId);
    }

    [Fact]
    public async Task After_the_last_attempt_a_delivery_is_failed_and_visible_with_its_error()
    {
        _app.Settings["Notifications:Delivery:MaxAttempts"] = "3";
        _smtp.RejectRecipientsWith = "550 5.1.1 mailbox unavailable";
        await AddChannelAsync(new { name = "support mail", kind = "Email", recipients = new[] { "support-team@example.com" } });

        await OverdueCriticalAsync();
        await CheckAsync();
        var dispatcher = _app.Services.GetRequiredService<NotificationDispatcher>();
        _app.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, await dispatcher.RetryDueAsync(Ct));
        // The backoff doubles: the third attempt is due a minute after the second.
        _app.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, await dispatcher.RetryDueAsync(Ct));
        _app.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await dispatcher.RetryDueAsync(Ct));

        var failed = Assert.Single(await DeliveriesAsync("failed"));
        Assert.Equal((3, DeliveryStatus.Failed, (DateTimeOffset?)null), (failed.Attempts, failed.Status, failed.NextAttemptAt));
        Assert.Contains("mailbox unavailable", failed.LastError, StringComparison.Ordinal);
        Assert.Empty(await DeliveriesAsync("pending"));
        Assert.Empty(_smtp.Messages);
    }

    [Theory]
    [InlineData("""{"kind":"Webhook","url":"http://127.0.0.1/x","secret":"0123456789abcdef"}""", "name")]
    [InlineData("""{"name":"x","url":"http://127.0.0.1/x"}""", "kind")]
    [InlineData("""{"name":"x","kind":"Webhook","url":"ftp://example.com/x","secret":"0123456789abcdef"}""", "url")]
    [InlineData("""{"name":"x","kind":"Webhook","url":"http://127.0.0.1/x","secret":"short"}""", "secret")]
    [InlineData("""{"name":"x","kind":"Email","recipients":[]}""", "recipients")]
    [InlineData("""{"name":"x","kind":"Email","recipients":["not an address"]}""", "recipients[0]")]
    [InlineData("""{"name":"x","kind":"Slack","url":"http://127.0.0.1/x","levels":[4]}""", "levels")]
    [InlineData("""{"name":"x","kind":"Sqs","url":"http://127.0.0.1/x"}""", "kind")]
    [InlineData("""{"name":"x","kind":"Pigeon"}""", "kind")]
    public async Task Invalid_channels_are_problem_details_naming_the_field(string json, string field)
    {
        var response = await Client.PostAsync("/api/notification-channels", new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Channels_are_listed_without_their_secrets_and_can_be_changed_and_deleted()
    {
        var created = await AddChannelAsync(new { name = "ops webhook", kind = "Webhook", url = $"{_http.Url}/hooks", secret = Secret });
        var id = created.GetProperty("id").GetString();
        Assert.True(created.GetProperty("hasSecret").GetBoolean());
        Assert.DoesNotContain(Secret, created.ToString(), StringComparison.Ordinal);

        // A PUT without a secret keeps the stored one.
        var put = await Client.PutAsJsonAsync($"/api/notification-channels/{id}", new { name = "renamed", kind = "Webhook", url = $"{_http.Url}/hooks", levels = new[] { 2, 3 } }, Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var stored = await _app.Services.GetRequiredService<NotificationChannelStore>().GetAsync(id!, Ct);
        Assert.Equal(("renamed", Secret), (stored!.Name, stored.Secret));
        Assert.Equal([2, 3], stored.Levels);

        var list = await (await Client.GetAsync("/api/notification-channels", Ct)).ReadJsonAsync();
        Assert.DoesNotContain(Secret, list.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/notification-channels/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/notification-channels/{id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_configured_sqs_queue_receives_escalations_as_SendMessage_requests()
    {
        // The SDK's HTTP layer is pointed at a loopback receiver that answers like SQS (JSON protocol, body MD5).
        _http.Respond = request =>
        {
            var body = JsonDocument.Parse(request.Body).RootElement.GetProperty("MessageBody").GetString()!;
            var md5 = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(body)));
            return ($$"""{"MessageId":"{{Guid.NewGuid()}}","MD5OfMessageBody":"{{md5}}"}""", "application/x-amz-json-1.0");
        };
        var queueUrl = "https://sqs.eu-central-1.amazonaws.com/123456789012/aspiretickets-escalations";
        _app.Settings[OperationsExtensions.EscalationQueueUrlKey] = queueUrl;
        using var sqs = new AmazonSQSClient(new BasicAWSCredentials("test-access", "test-secret"), new AmazonSQSConfig { ServiceURL = _http.Url, AuthenticationRegion = "eu-central-1" });
        await using var app = _app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IAmazonSQS>(sqs)));
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", TicketsAppFactory.ApiKey);

        var channels = await (await client.GetAsync("/api/notification-channels", Ct)).ReadJsonAsync();
        var configured = Assert.Single(channels.EnumerateArray());
        Assert.Equal(("Sqs", true), (configured.GetProperty("kind").GetString(), configured.GetProperty("configured").GetBoolean()));

        var ticket = await (await client.PostAsJsonAsync("/api/tickets", new { title = "Queue me", priority = "Critical" }, Ct)).ReadAsync<Ticket>();
        _app.Time.SetUtcNow(Monday9.AddMinutes(20));
        var result = await (await client.PostAsync("/api/escalations/check", null, Ct)).ReadAsync<EscalationCheckResult>();
        Assert.Equal(1, Assert.Single(result.Escalations).Notifications);

        var request = Assert.Single(_http.Requests);
        Assert.Equal("AmazonSQS.SendMessage", request.Headers["X-Amz-Target"]);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=test-access/", request.Headers["Authorization"], StringComparison.Ordinal);
        var sendMessage = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal(queueUrl, sendMessage.GetProperty("QueueUrl").GetString());
        var message = JsonDocument.Parse(sendMessage.GetProperty("MessageBody").GetString()!).RootElement.GetProperty("notification");
        Assert.Equal((ticket.Id, 1), (message.GetProperty("ticketId").GetGuid(), message.GetProperty("level").GetInt32()));
        Assert.False(sendMessage.TryGetProperty("MessageGroupId", out _));

        var delivery = Assert.Single(await (await client.GetAsync("/api/notifications/deliveries", Ct)).ReadAsync<List<NotificationDelivery>>());
        Assert.Equal((NotificationChannelKind.Sqs, DeliveryStatus.Delivered), (delivery.ChannelKind, delivery.Status));
    }

    [Fact]
    public async Task A_fifo_queue_groups_by_ticket_and_deduplicates_by_delivery()
    {
        _http.Respond = request =>
        {
            var body = JsonDocument.Parse(request.Body).RootElement.GetProperty("MessageBody").GetString()!;
            return ($$"""{"MessageId":"m-1","MD5OfMessageBody":"{{Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(body)))}}"}""", "application/x-amz-json-1.0");
        };
        using var sqs = new AmazonSQSClient(new BasicAWSCredentials("a", "b"), new AmazonSQSConfig { ServiceURL = _http.Url, AuthenticationRegion = "eu-central-1" });
        var delivery = new NotificationDelivery { Notification = new EscalationNotification { TicketId = Guid.NewGuid(), Level = 2, Title = "t" } };
        var channel = new NotificationChannel { Id = "q", Kind = NotificationChannelKind.Sqs, Url = "https://sqs.eu-central-1.amazonaws.com/1/escalations.fifo" };

        await new SqsNotificationSender(sqs).SendAsync(channel, delivery, Ct);

        var sent = JsonDocument.Parse(Assert.Single(_http.Requests).Body).RootElement;
        Assert.Equal(delivery.Notification.TicketId.ToString(), sent.GetProperty("MessageGroupId").GetString());
        Assert.Equal(delivery.Id.ToString("N"), sent.GetProperty("MessageDeduplicationId").GetString());

        // A refusal by SQS is a recorded delivery failure, not a crash of the check.
        _http.Statuses.Enqueue(400);
        await Assert.ThrowsAsync<NotificationDeliveryException>(() => new SqsNotificationSender(sqs).SendAsync(channel, delivery, Ct));
    }
}
