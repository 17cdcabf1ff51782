using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Tests.Api;

public sealed class TicketsApiTests : ApiTestBase
{
    private async Task<Ticket> CreateAsync(object body)
    {
        var response = await Client.PostAsJsonAsync("/api/tickets", body, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadAsync<Ticket>();
    }

    private static HttpRequestMessage Patch(Guid id, string json, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/tickets/{id}") { Content = new StringContent(json, Encoding.UTF8, "application/merge-patch+json") };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return request;
    }

    [Fact]
    public async Task Create_then_get_returns_the_ticket_with_its_version_as_etag()
    {
        var created = await CreateAsync(new { title = "VPN drops every hour", description = "Since Monday.", priority = "High", category = "incident", labels = new[] { "vpn" }, reporter = new { name = "Dana", email = "dana@example.com" } });

        var response = await Client.GetAsync($"/api/tickets/{created.Id}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"\"{created.Version}\"", response.Headers.ETag?.Tag);
        var ticket = await response.ReadAsync<Ticket>();
        Assert.Equal(("VPN drops every hour", TicketPriority.High, "incident", TicketStatus.New), (ticket.Title, ticket.Priority, ticket.Category, ticket.Status));
        Assert.Equal(["vpn"], ticket.Labels);
        Assert.Equal("dana@example.com", ticket.Reporter?.Email);
        Assert.Equal(App.Time.GetUtcNow(), ticket.CreatedAt);
    }

    [Fact]
    public async Task Create_with_the_same_source_key_returns_the_first_ticket()
    {
        var first = await CreateAsync(new { title = "Once", sourceKey = "crm-42" });
        var again = await Client.PostAsJsonAsync("/api/tickets", new { title = "Twice", sourceKey = "crm-42" }, Ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var ticket = await again.ReadAsync<Ticket>();
        Assert.Equal((first.Id, "Once"), (ticket.Id, ticket.Title));
    }

    [Fact]
    public async Task Two_updates_with_the_same_version_give_exactly_one_412()
    {
        var ticket = await CreateAsync(new { title = "Race" });
        var etag = $"\"{ticket.Version}\"";

        var responses = await Task.WhenAll(
            Client.SendAsync(Patch(ticket.Id, "{\"assignee\":\"alice\"}", etag), Ct),
            Client.SendAsync(Patch(ticket.Id, "{\"assignee\":\"bob\"}", etag), Ct));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        var conflict = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.PreconditionFailed);
        Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType?.MediaType);

        var stale = await Client.SendAsync(Patch(ticket.Id, "{\"assignee\":\"carol\"}", etag), Ct);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
    }

    [Fact]
    public async Task Put_records_one_audit_entry_per_changed_field()
    {
        var ticket = await CreateAsync(new { title = "Audit me", priority = "Low", category = "question" });
        App.Time.Advance(TimeSpan.FromMinutes(5));

        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/tickets/{ticket.Id}")
        {
            Content = JsonContent.Create(new { title = "Audit me", description = "", status = "Triaged", priority = "High", category = "question", assignee = "erin", reason = "customer escalated" }, options: TicketsAppFactory.Json),
        };
        put.Headers.TryAddWithoutValidation("If-Match", $"\"{ticket.Version}\"");
        var response = await Client.SendAsync(put, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var audit = await (await Client.GetAsync($"/api/tickets/{ticket.Id}/audit", Ct)).ReadAsync<List<AuditEntry>>();
        var changes = audit.Where(a => a.Field != "created").ToList();
        // The priority picks the SLA policy, so its change also moves (and audits) the due times.
        Assert.Equal(["assignee", "priority", "sla.firstResponseDueAt", "sla.resolutionDueAt", "status"], changes.Select(a => a.Field).Order());
        var priority = changes.Single(a => a.Field == "priority");
        Assert.Equal(("Low", "High", "api:tests", "customer escalated"), (priority.OldValue, priority.NewValue, priority.Actor, priority.Reason));
        Assert.All(changes, a => Assert.Equal(App.Time.GetUtcNow(), a.At));
    }

    [Fact]
    public async Task Forbidden_transition_is_a_400_naming_status_and_changes_nothing()
    {
        var ticket = await CreateAsync(new { title = "Lifecycle" });
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(Patch(ticket.Id, "{\"status\":\"Resolved\"}"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(Patch(ticket.Id, "{\"status\":\"Closed\"}"), Ct)).StatusCode);

        var response = await Client.SendAsync(Patch(ticket.Id, "{\"status\":\"Waiting\", \"title\":\"changed\"}"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("status", out _));

        var current = await (await Client.GetAsync($"/api/tickets/{ticket.Id}", Ct)).ReadAsync<Ticket>();
        Assert.Equal((TicketStatus.Closed, "Lifecycle"), (current.Status, current.Title));
    }

    [Fact]
    public async Task Patch_changes_only_the_given_fields_and_null_clears()
    {
        var ticket = await CreateAsync(new { title = "Patch", assignee = "bob", labels = new[] { "a", "b" } });
        var response = await Client.SendAsync(Patch(ticket.Id, "{\"assignee\":null, \"labels\":[\"c\"]}"), Ct);
        var patched = await response.ReadAsync<Ticket>();
        Assert.Equal(("Patch", null, ticket.Version + 1), (patched.Title, patched.Assignee, patched.Version));
        Assert.Equal(["c"], patched.Labels);

        var unknown = await Client.SendAsync(Patch(ticket.Id, "{\"secretField\":1}"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [Fact]
    public async Task Delete_archives_and_restore_brings_back()
    {
        var ticket = await CreateAsync(new { title = "Archive me" });
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/tickets/{ticket.Id}", Ct)).StatusCode);

        var list = await (await Client.GetAsync("/api/tickets", Ct)).ReadJsonAsync();
        Assert.DoesNotContain(list.GetProperty("items").EnumerateArray(), t => t.GetProperty("id").GetGuid() == ticket.Id);
        var archived = await (await Client.GetAsync("/api/tickets?archived=only", Ct)).ReadJsonAsync();
        Assert.Contains(archived.GetProperty("items").EnumerateArray(), t => t.GetProperty("id").GetGuid() == ticket.Id);

        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync($"/api/tickets/{ticket.Id}/restore", null, Ct)).StatusCode);
        list = await (await Client.GetAsync("/api/tickets", Ct)).ReadJsonAsync();
        Assert.Contains(list.GetProperty("items").EnumerateArray(), t => t.GetProperty("id").GetGuid() == ticket.Id);
    }

    [Fact]
    public async Task Comments_are_added_and_the_first_public_one_counts_as_first_response()
    {
        var ticket = await CreateAsync(new { title = "Comment me" });
        App.Time.Advance(TimeSpan.FromMinutes(12));
        var internalNote = await Client.PostAsJsonAsync($"/api/tickets/{ticket.Id}/comments", new { text = "Checking logs", isPublic = false }, Ct);
        Assert.Equal(HttpStatusCode.Created, internalNote.StatusCode);
        var reply = await Client.PostAsJsonAsync($"/api/tickets/{ticket.Id}/comments", new { text = "We are on it." }, Ct);
        Assert.Equal(HttpStatusCode.Created, reply.StatusCode);

        var comments = await (await Client.GetAsync($"/api/tickets/{ticket.Id}/comments", Ct)).ReadAsync<List<TicketComment>>();
        Assert.Equal([false, true], comments.Select(c => c.IsPublic));
        var current = await (await Client.GetAsync($"/api/tickets/{ticket.Id}", Ct)).ReadAsync<Ticket>();
        Assert.Equal(App.Time.GetUtcNow(), current.FirstResponseAt);

        var empty = await Client.PostAsJsonAsync($"/api/tickets/{ticket.Id}/comments", new { text = " " }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }

    [Fact]
    public async Task List_filters_sorts_and_pages_a_known_set()
    {
        // 12 tickets: priorities cycle Low, Medium, High, Critical; every third is labelled "vip"; created one hour apart.
        var created = new List<Ticket>();
        for (var i = 0; i < 12; i++)
        {
            created.Add(await CreateAsync(new
            {
                title = $"Ticket {i:00} " + (i % 2 == 0 ? "printer jam" : "login failure"),
                priority = ((TicketPriority)(i % 4)).ToString(),
                category = i % 2 == 0 ? "bug" : "account",
                labels = i % 3 == 0 ? new[] { "vip" } : [],
                assignee = i < 6 ? "alice" : "bob",
            }));
            App.Time.Advance(TimeSpan.FromHours(1));
        }

        async Task<JsonElement> List(string query) => await (await Client.GetAsync($"/api/tickets?{query}", Ct)).ReadJsonAsync();
        static string[] Titles(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("title").GetString()![..9])];

        var all = await List("sort=created&order=asc&pageSize=5&page=2");
        Assert.Equal(12, all.GetProperty("totalCount").GetInt64());
        Assert.Equal(["Ticket 05", "Ticket 06", "Ticket 07", "Ticket 08", "Ticket 09"], Titles(all));

        var highBugs = await List("priority=High&priority=Critical&category=bug&sort=created&order=desc");
        Assert.Equal(["Ticket 10", "Ticket 06", "Ticket 02"], Titles(highBugs));

        var vipForBob = await List("label=vip&assignee=bob&sort=created&order=asc");
        Assert.Equal(["Ticket 06", "Ticket 09"], Titles(vipForBob));

        var text = await List("q=printer&priority=Low&sort=created&order=asc");
        Assert.Equal(["Ticket 00", "Ticket 04", "Ticket 08"], Titles(text));

        var byPriority = await List("sort=priority&order=desc&pageSize=3");
        Assert.All(byPriority.GetProperty("items").EnumerateArray(), t => Assert.Equal("Critical", t.GetProperty("priority").GetString()));

        var range = await List($"createdFrom={Uri.EscapeDataString(created[3].CreatedAt.ToString("O"))}&createdTo={Uri.EscapeDataString(created[6].CreatedAt.ToString("O"))}&sort=created&order=asc");
        Assert.Equal(["Ticket 03", "Ticket 04", "Ticket 05"], Titles(range));

        var beyond = await List("page=99");
        Assert.Equal(0, beyond.GetProperty("items").GetArrayLength());
        Assert.Equal(12, beyond.GetProperty("totalCount").GetInt64());
    }
}
