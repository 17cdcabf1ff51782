using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AspireTickets.Domain.Tickets;
using AspireTickets.Tests.Api;

namespace AspireTickets.Tests.Operations;

public sealed class SlaPoliciesApiTests : ApiTestBase
{
    private static readonly object OfficeHoursCritical = new
    {
        priority = "Critical",
        firstResponse = "00:15:00",
        resolution = "04:00:00",
        calendar = new { timeZone = "Europe/Berlin", workingDays = new[] { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday" }, workdayStart = "09:00", workdayEnd = "17:00", holidays = new[] { "2026-03-03" } },
    };

    [Fact]
    public async Task Lists_the_defaults_when_nothing_is_stored()
    {
        var policies = await (await Client.GetAsync("/api/sla-policies", Ct)).ReadJsonAsync();
        var rows = policies.EnumerateArray().Select(p => (p.GetProperty("id").GetString(), p.GetProperty("firstResponse").GetString(), p.GetProperty("resolution").GetString(), p.GetProperty("isDefault").GetBoolean())).ToList();
        Assert.Equal(
            [("critical", "00:15:00", "04:00:00", true), ("high", "01:00:00", "1.00:00:00", true), ("medium", "04:00:00", "3.00:00:00", true), ("low", "1.00:00:00", "7.00:00:00", true)],
            rows);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/api/sla-policies/high", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/sla-policies/high.billing", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_stored_policy_sets_due_times_of_new_tickets_in_working_time()
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/api/sla-policies", OfficeHoursCritical, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Client.PostAsJsonAsync("/api/sla-policies", OfficeHoursCritical, Ct)).StatusCode);

        // Monday 2026-03-02 16:50 Berlin (15:50Z): 10 minutes today, Tuesday is a holiday, 5 minutes on Wednesday.
        App.Time.SetUtcNow(new DateTimeOffset(2026, 3, 2, 15, 50, 0, TimeSpan.Zero));
        var response = await Client.PostAsJsonAsync("/api/tickets", new { title = "Checkout is down", priority = "Critical" }, Ct);
        var ticket = await response.ReadAsync<Ticket>();
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 8, 5, 0, TimeSpan.Zero), ticket.Sla.FirstResponseDueAt);
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 11, 50, 0, TimeSpan.Zero), ticket.Sla.ResolutionDueAt);

        var listed = await (await Client.GetAsync("/api/sla-policies", Ct)).ReadJsonAsync();
        Assert.False(listed.EnumerateArray().First(p => p.GetProperty("id").GetString() == "critical").GetProperty("isDefault").GetBoolean());
    }

    [Fact]
    public async Task Changing_the_priority_or_category_recomputes_the_due_times_with_an_audit_entry()
    {
        var put = await Client.PutAsJsonAsync("/api/sla-policies/high.billing", new { priority = "High", category = "Billing", firstResponse = "00:30:00", resolution = "08:00:00" }, Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var created = await (await Client.PostAsJsonAsync("/api/tickets", new { title = "Invoice twice", priority = "Medium" }, Ct)).ReadAsync<Ticket>();
        Assert.Equal(App.Time.GetUtcNow().AddHours(4), created.Sla.FirstResponseDueAt);

        App.Time.Advance(TimeSpan.FromMinutes(10));
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/tickets/{created.Id}")
        {
            Content = new StringContent("""{"priority":"High","category":"billing"}""", Encoding.UTF8, "application/merge-patch+json"),
        };
        var patched = await (await Client.SendAsync(patch, Ct)).ReadAsync<Ticket>();
        // Measured from creation, not from the change.
        Assert.Equal(created.CreatedAt.AddMinutes(30), patched.Sla.FirstResponseDueAt);
        Assert.Equal(created.CreatedAt.AddHours(8), patched.Sla.ResolutionDueAt);

        var audit = await (await Client.GetAsync($"/api/tickets/{created.Id}/audit", Ct)).ReadAsync<List<AuditEntry>>();
        Assert.Contains(audit, a => a.Field == "sla.firstResponseDueAt" && a.NewValue == created.CreatedAt.AddMinutes(30).ToString("O"));

        // Deleting the category policy falls back to the priority's default on the next change.
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/api/sla-policies/high.billing", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.DeleteAsync("/api/sla-policies/high.billing", Ct)).StatusCode);
        var again = new HttpRequestMessage(HttpMethod.Patch, $"/api/tickets/{created.Id}")
        {
            Content = new StringContent("""{"category":"bug"}""", Encoding.UTF8, "application/merge-patch+json"),
        };
        var fallback = await (await Client.SendAsync(again, Ct)).ReadAsync<Ticket>();
        Assert.Equal(created.CreatedAt.AddHours(1), fallback.Sla.FirstResponseDueAt);
    }

    [Theory]
    [InlineData("""{"firstResponse":"00:15:00","resolution":"04:00:00"}""", "priority")]
    [InlineData("""{"priority":"High","firstResponse":"00:00:00","resolution":"04:00:00"}""", "firstResponse")]
    [InlineData("""{"priority":"High","firstResponse":"05:00:00","resolution":"04:00:00"}""", "resolution")]
    [InlineData("""{"priority":"High","category":"gardening","firstResponse":"01:00:00","resolution":"04:00:00"}""", "category")]
    [InlineData("""{"priority":"High","firstResponse":"soon","resolution":"04:00:00"}""", "firstResponse")]
    [InlineData("""{"priority":"High","firstResponse":"01:00:00","resolution":"04:00:00","calendar":{"timeZone":"Mars/Olympus","workingDays":["Monday"],"workdayStart":"09:00","workdayEnd":"17:00"}}""", "calendar.timeZone")]
    [InlineData("""{"priority":"High","firstResponse":"01:00:00","resolution":"04:00:00","calendar":{"timeZone":"UTC","workingDays":[],"workdayStart":"09:00","workdayEnd":"17:00"}}""", "calendar.workingDays")]
    [InlineData("""{"priority":"High","firstResponse":"01:00:00","resolution":"04:00:00","calendar":{"timeZone":"UTC","workingDays":["Monday"],"workdayStart":"18:00","workdayEnd":"17:00"}}""", "calendar.workdayEnd")]
    [InlineData("""{"priority":"High","firstResponse":"01:00:00","resolution":"04:00:00","calendar":{"timeZone":"UTC","workingDays":["Monday"],"workdayStart":"9 am","workdayEnd":"17:00"}}""", "calendar.workdayStart")]
    public async Task Invalid_policies_are_problem_details_naming_the_field(string json, string field)
    {
        var response = await Client.PostAsync("/api/sla-policies", new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadJsonAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Put_refuses_an_id_that_does_not_match_the_body()
    {
        var response = await Client.PutAsJsonAsync("/api/sla-policies/low", new { priority = "High", firstResponse = "01:00:00", resolution = "04:00:00" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("id", out _));
    }
}
