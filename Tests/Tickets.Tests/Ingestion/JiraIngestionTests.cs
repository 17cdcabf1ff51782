using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AspireTickets.Domain.Events;
using AspireTickets.Domain.Tickets;
using AspireTickets.Ingestion.Sources.Jira;

namespace AspireTickets.Tests.Ingestion;

public class JiraIngestionTests
{
    [Fact]
    public async Task Issue_created_with_an_ADF_description_becomes_a_ticket()
    {
        await using var host = await IngestionTestHost.StartAsync();

        var response = await host.Client.SendAsync(IngestionTestHost.Jira(Payloads.JiraIssueCreated()), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(body.GetProperty("created").GetBoolean());
        var ticketId = body.GetProperty("ticketId").GetGuid();

        var ticket = Assert.Single(host.MemoryStore!.All());
        Assert.Equal(ticketId, ticket.Id);
        Assert.Equal("jira:SHOP-42", ticket.SourceKey);
        Assert.Equal("jira", ticket.Source);
        Assert.Equal("Checkout fails with HTTP 503 for customers in Köln", ticket.Title);
        Assert.Equal(TicketPriority.Critical, ticket.Priority);
        Assert.Equal(new Person("Jürgen Müller", "juergen.mueller@example.de"), ticket.Reporter);
        Assert.Equal("Webshop", ticket.Organization);
        Assert.Contains("checkout", ticket.Labels);
        Assert.Contains("component:Payment Gateway", ticket.Labels);
        // SLA clocks start when the customer asked: 09:15:02 +01:00, not when the webhook arrived (10:00 UTC).
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 8, 15, 2, TimeSpan.Zero), ticket.CreatedAt);

        // ADF → text: paragraphs, mention by its text, ordered list, code block, emoji.
        Assert.Contains("Since the deploy of v2.14.1 the checkout at https://shop.example.com/checkout returns an error. @Ana Souza please have a look.", ticket.Description);
        Assert.Contains("1. Add any item to the cart\n2. Pay with card", ticket.Description);
        Assert.Contains("at Shop.Payments.GatewayClient.ChargeAsync(Order order) in /src/Payments/GatewayClient.cs:line 88", ticket.Description);
        Assert.Contains("🔥", ticket.Description);

        var insights = Assert.IsType<TextInsights>(ticket.Insights);
        Assert.Equal("en", insights.Language);
        Assert.Contains(insights.Entities, e => e is { Kind: "exception", Value: "System.TimeoutException" });
        Assert.Contains(insights.Entities, e => e is { Kind: "version", Value: "v2.14.1" });
        Assert.Contains(insights.Entities, e => e is { Kind: "error_code", Value: "HTTP 503" });
        Assert.Contains(insights.Entities, e => e is { Kind: "ip", Value: "10.20.30.40" });
        Assert.Contains(insights.Entities, e => e is { Kind: "hostname", Value: "pay-gw.internal" });
        Assert.Contains(insights.Entities, e => e.Kind == "stack_frame" && e.Value.Contains("GatewayClient.ChargeAsync", StringComparison.Ordinal));
        Assert.Contains("[IP]", insights.MaskedText);
        Assert.DoesNotContain("10.20.30.40", insights.MaskedText);

        var created = Assert.Single(host.MemoryStore.Events());
        Assert.Equal(TicketEventTypes.Created, created.Type);
        Assert.Equal(ticket.Id, created.TicketId);
        Assert.DoesNotContain("10.20.30.40", created.Data);

        var audit = await host.Store.GetAuditTrailAsync(ticket.Id, TestContext.Current.CancellationToken);
        Assert.Contains(audit, a => a.Field == "title" && a.Actor == "ingestion:jira" && a.Reason == "jira:issue_created");
    }

    [Fact]
    public async Task The_raw_payload_is_archived_before_the_acknowledgement()
    {
        await using var host = await IngestionTestHost.StartAsync();
        var payload = Payloads.JiraIssueCreated();

        var response = await host.Client.SendAsync(IngestionTestHost.Jira(payload), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var (key, content) = Assert.Single(host.Archived("jira"));
        Assert.StartsWith("jira/2026-03-02/", key, StringComparison.Ordinal);
        Assert.Equal(payload, Encoding.UTF8.GetString(content));
    }

    [Fact]
    public async Task A_redelivery_returns_the_same_ticket_and_changes_nothing()
    {
        await using var host = await IngestionTestHost.StartAsync();
        var payload = Payloads.JiraIssueCreated();

        var first = await (await host.Client.SendAsync(IngestionTestHost.Jira(payload), TestContext.Current.CancellationToken)).Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var writes = host.MemoryStore!.Writes;
        var again = await host.Client.SendAsync(IngestionTestHost.Jira(payload), TestContext.Current.CancellationToken);
        var second = await again.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(first.GetProperty("ticketId").GetGuid(), second.GetProperty("ticketId").GetGuid());
        Assert.False(second.GetProperty("created").GetBoolean());
        Assert.Equal(writes, host.MemoryStore.Writes);
        Assert.Single(host.MemoryStore.All());
        Assert.Single(host.MemoryStore.Events());
    }

    [Fact]
    public async Task Concurrent_duplicate_deliveries_create_one_ticket()
    {
        await using var host = await IngestionTestHost.StartAsync();
        var payload = Payloads.JiraIssueCreated("SHOP-77");

        var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ =>
            Task.Run(() => host.Client.SendAsync(IngestionTestHost.Jira(payload), TestContext.Current.CancellationToken))));
        var ids = await Task.WhenAll(responses.Select(async r =>
        {
            Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
            return (await r.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("ticketId").GetGuid();
        }));

        Assert.Single(ids.Distinct());
        Assert.Single(host.MemoryStore!.All());
        Assert.Single(host.MemoryStore.Events(), e => e.Type == TicketEventTypes.Created);
    }

    [Fact]
    public async Task An_update_is_applied_once_with_audit_entries_and_one_event()
    {
        await using var host = await IngestionTestHost.StartAsync();
        await host.Client.SendAsync(IngestionTestHost.Jira(Payloads.JiraIssueCreated()), TestContext.Current.CancellationToken);

        var update = Payloads.JiraIssueUpdated(priority: "Low", statusCategory: "indeterminate");
        var first = await host.Client.SendAsync(IngestionTestHost.Jira(update), TestContext.Current.CancellationToken);
        var second = await host.Client.SendAsync(IngestionTestHost.Jira(update), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var ticket = Assert.Single(host.MemoryStore!.All());
        Assert.Equal(TicketPriority.Low, ticket.Priority);
        Assert.Equal(TicketStatus.InProgress, ticket.Status);
        Assert.Equal("Since the deploy the checkout returns an error.\n\nIssue type: Bug", ticket.Description);
        Assert.Single(host.MemoryStore.Events(), e => e.Type == TicketEventTypes.Updated);
        var audit = await host.Store.GetAuditTrailAsync(ticket.Id, TestContext.Current.CancellationToken);
        Assert.Single(audit, a => a.Field == "priority" && a.OldValue == "Critical" && a.NewValue == "Low");
        Assert.Single(audit, a => a.Field == "status" && a.NewValue == "InProgress");
    }

    [Fact]
    public async Task A_comment_is_added_once_even_when_delivered_twice()
    {
        await using var host = await IngestionTestHost.StartAsync();
        await host.Client.SendAsync(IngestionTestHost.Jira(Payloads.JiraIssueCreated()), TestContext.Current.CancellationToken);

        await host.Client.SendAsync(IngestionTestHost.Jira(Payloads.JiraCommentCreated()), TestContext.Current.CancellationToken);
        await host.Client.SendAsync(IngestionTestHost.Jira(Payloads.JiraCommentCreated()), TestContext.Current.CancellationToken);

        var ticket = Assert.Single(host.MemoryStore!.All());
        var comment = Assert.Single(ticket.Comments);
        Assert.Equal("Rolled back the gateway client to 2.13.9, watching the error rate.", comment.Text);
        Assert.Equal("ana.souza@example.com", comment.Author);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 5, 0, TimeSpan.Zero), comment.CreatedAt);
        // A public answer by someone other than the reporter is the first response.
        Assert.Equal(comment.CreatedAt, ticket.FirstResponseAt);
    }

    [Fact]
    public async Task A_wrong_signature_is_refused_with_401_and_stores_nothing()
    {
        await using var host = await IngestionTestHost.StartAsync();

        var wrongSecret = await host.Client.SendAsync(IngestionTestHost.Jira(Payloads.JiraIssueCreated(), secret: "not-the-secret"), TestContext.Current.CancellationToken);
        var unsigned = await host.Client.SendAsync(IngestionTestHost.Jira(Payloads.JiraIssueCreated(), secret: null), TestContext.Current.CancellationToken);
        var tampered = IngestionTestHost.Jira(Payloads.JiraIssueCreated());
        tampered.Content = new StringContent(Payloads.JiraIssueCreated(priority: "Lowest"), System.Text.Encoding.UTF8, "application/json");
        var tamperedResponse = await host.Client.SendAsync(tampered, TestContext.Current.CancellationToken);

        foreach (var response in new[] { wrongSecret, unsigned, tamperedResponse })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Empty(host.MemoryStore!.All());
        Assert.False(Directory.Exists(Path.Combine(host.DataDirectory, "raw", "jira")));
    }

    [Fact]
    public async Task Malformed_deliveries_get_400_naming_the_field()
    {
        await using var host = await IngestionTestHost.StartAsync();

        var noSummary = await host.Client.SendAsync(IngestionTestHost.Jira(Payloads.JiraIssueCreated(summary: " ")), TestContext.Current.CancellationToken);
        var problem = await noSummary.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, noSummary.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("issue.fields.summary", out _));

        var badJson = await host.Client.SendAsync(IngestionTestHost.Jira("""{"webhookEvent":"jira:issue_created","issue":{"key":12"""), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);

        var wrongType = await host.Client.SendAsync(IngestionTestHost.Jira("""{"webhookEvent":"jira:issue_created","issue":{"key":"A-1","fields":{"summary":"x","labels":"not-a-list"}}}"""), TestContext.Current.CancellationToken);
        var wrongTypeProblem = await wrongType.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.True(wrongTypeProblem.GetProperty("errors").TryGetProperty("$.issue.fields.labels", out _));
        Assert.Empty(host.MemoryStore!.All());
    }

    [Fact]
    public async Task Unsupported_events_are_acknowledged_as_ignored()
    {
        await using var host = await IngestionTestHost.StartAsync();

        var response = await host.Client.SendAsync(IngestionTestHost.Jira("""{"webhookEvent":"jira:worklog_updated","timestamp":1}"""), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(body.GetProperty("ignored").GetBoolean());
        Assert.Contains("jira:worklog_updated", body.GetProperty("reason").GetString());
        Assert.Empty(host.MemoryStore!.All());
    }

    [Fact]
    public async Task A_source_without_a_secret_is_disabled()
    {
        await using var host = await IngestionTestHost.StartAsync(settings: new() { ["Ingestion:Sources:jira:Secret"] = "" });

        var response = await host.Client.SendAsync(IngestionTestHost.Jira(Payloads.JiraIssueCreated()), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413_even_where_the_server_does_not_enforce_it()
    {
        await using var host = await IngestionTestHost.StartAsync(settings: new() { ["Ingestion:Sources:jira:MaxBodyBytes"] = "4096" });
        var huge = Payloads.JiraIssueCreated(summary: new string('x', 8000));

        var declared = await host.Client.SendAsync(IngestionTestHost.Jira(huge), TestContext.Current.CancellationToken);
        var chunked = IngestionTestHost.Jira(huge);
        chunked.Content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(huge)));
        chunked.Content.Headers.ContentLength = null;
        var undeclared = await host.Client.SendAsync(chunked, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, undeclared.StatusCode);
        Assert.Empty(host.MemoryStore!.All());
    }

    [Theory]
    [InlineData("Highest", TicketPriority.Critical)]
    [InlineData("Blocker", TicketPriority.Critical)]
    [InlineData("High", TicketPriority.High)]
    [InlineData("Critical", TicketPriority.High)]
    [InlineData("Medium", TicketPriority.Medium)]
    [InlineData("Major", TicketPriority.Medium)]
    [InlineData("Low", TicketPriority.Low)]
    [InlineData("Minor", TicketPriority.Low)]
    [InlineData("Lowest", TicketPriority.Low)]
    [InlineData("Trivial", TicketPriority.Low)]
    [InlineData(null, TicketPriority.Medium)]
    public void Both_Jira_priority_schemes_map_onto_four_levels(string? jira, TicketPriority expected) =>
        Assert.Equal(expected, JiraSource.MapPriority(jira));
}
