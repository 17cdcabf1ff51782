using System.Net;
using System.Net.Http.Json;
using AspireTickets.Api.Model;
using AspireTickets.Infrastructure.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace AspireTickets.Tests.Api;

/// <summary>People act through the Web (service key + user name); the Api reads their role from its own user directory.</summary>
public sealed class StaffAuthTests : StaffTestBase
{
    [Fact]
    public async Task The_first_admin_comes_from_configuration_and_signs_in_with_the_right_password_only()
    {
        var web = As(null);

        var ok = await web.PostAsJsonAsync("/api/auth/sign-in", new { userName = "ROOT", password = "root-password-1" }, Ct);
        var wrong = await web.PostAsJsonAsync("/api/auth/sign-in", new { userName = "root", password = "nope" }, Ct);
        var unknown = await web.PostAsJsonAsync("/api/auth/sign-in", new { userName = "ghost", password = "root-password-1" }, Ct);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var user = await ok.ReadAsync<UserResponse>();
        Assert.Equal(("root", "admin"), (user.UserName, user.Role));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
    }

    [Fact]
    public async Task Passwords_are_stored_hashed()
    {
        var store = App.Services.GetRequiredService<AspireTickets.Domain.Storage.IDocumentStore>();
        var stored = await store.Collection<AspireTickets.Domain.Users.StaffUser>("users").GetAsync("alice", Ct);

        Assert.NotNull(stored);
        Assert.DoesNotContain("password-alice", stored.PasswordHash, StringComparison.Ordinal);
        Assert.True(stored.PasswordHash.Length > 40);
    }

    [Fact]
    public async Task Only_the_web_may_check_passwords_or_name_a_user()
    {
        var integration = App.CreateApiClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await integration.PostAsJsonAsync("/api/auth/sign-in", new { userName = "root", password = "root-password-1" }, Ct)).StatusCode);

        // A forged user header without the service key is ignored; a wrong service key is refused.
        integration.DefaultRequestHeaders.Add(WebServiceKey.UserHeaderName, "root");
        Assert.Equal(HttpStatusCode.Forbidden, (await integration.GetAsync("/api/users", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await As("root", "wrong-key").GetAsync("/api/tickets", Ct)).StatusCode);

        // The Web itself, without a person, can do nothing but sign-in.
        Assert.Equal(HttpStatusCode.Forbidden, (await As(null).GetAsync("/api/tickets", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("alice", "/api/tickets", HttpStatusCode.OK)]
    [InlineData("alice", "/api/users", HttpStatusCode.Forbidden)]
    [InlineData("alice", "/api/api-keys", HttpStatusCode.Forbidden)]
    [InlineData("lena", "/api/users", HttpStatusCode.Forbidden)]
    [InlineData("root", "/api/users", HttpStatusCode.OK)]
    [InlineData("ghost", "/api/tickets", HttpStatusCode.Unauthorized)]
    public async Task Roles_are_enforced_by_the_api(string user, string path, HttpStatusCode expected) =>
        Assert.Equal(expected, (await As(user).GetAsync(path, Ct)).StatusCode);

    [Fact]
    public async Task Agents_see_the_triage_models_and_only_leads_change_which_one_is_used()
    {
        Assert.Equal(HttpStatusCode.OK, (await As("alice").GetAsync("/api/agents/models", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await As("alice").PostAsync("/api/agents/models/rules/activate", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await As("alice").PutAsJsonAsync("/api/agents/models/split", new { candidateShare = 0 }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await As("lena").PostAsync("/api/agents/models/rules/activate", null, Ct)).StatusCode);
    }

    [Fact]
    public async Task A_disabled_user_loses_access_at_once_and_an_admin_cannot_lock_themselves_out()
    {
        var admin = As("root");
        Assert.Equal(HttpStatusCode.OK, (await As("alice").GetAsync("/api/tickets", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/users/alice", new { disabled = true }, Ct)).StatusCode);
        var self = await admin.PutAsJsonAsync("/api/users/root", new { role = "agent" }, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, (await As("alice").GetAsync("/api/tickets", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);
        Assert.Contains("role", (await self.ReadJsonAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task User_creation_names_the_bad_fields()
    {
        var response = await As("root").PostAsJsonAsync("/api/users", new { userName = "x", role = "boss", password = "short" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("userName", out _));
        Assert.True(errors.TryGetProperty("role", out _));
        Assert.True(errors.TryGetProperty("password", out _));
    }

    [Fact]
    public async Task Api_keys_created_by_an_admin_work_until_revoked()
    {
        var admin = As("root");
        var created = await admin.PostAsJsonAsync("/api/api-keys", new { name = "zendesk-sync" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = await created.ReadAsync<CreatedApiKeyResponse>();
        var integration = App.CreateClient();
        integration.DefaultRequestHeaders.Add("X-Api-Key", key.Secret);

        var made = await integration.PostAsJsonAsync("/api/tickets", new { title = "From the new key" }, Ct);
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var listed = await admin.GetFromJsonAsync<ApiKeyResponse[]>("/api/api-keys", TicketsAppFactory.Json, Ct);
        Assert.Equal("zendesk-sync", Assert.Single(listed!).Name);
        Assert.DoesNotContain(key.Secret, await (await admin.GetAsync("/api/api-keys", Ct)).Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/api-keys/{key.Key.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await integration.GetAsync("/api/tickets", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_ticket_filed_by_a_person_through_the_web_is_a_web_ticket_audited_under_their_name()
    {
        var response = await As("alice").PostAsJsonAsync("/api/tickets", new { title = "Filed in the form" }, Ct);
        var ticket = await response.ReadAsync<AspireTickets.Domain.Tickets.Ticket>();
        var audit = await As("alice").GetFromJsonAsync<AspireTickets.Domain.Tickets.AuditEntry[]>($"/api/tickets/{ticket.Id}/audit", TicketsAppFactory.Json, Ct);

        Assert.Equal("web", ticket.Source);
        Assert.Equal("alice", Assert.Single(audit!).Actor);
    }

    [Fact]
    public async Task Settings_are_written_by_leads_and_only_read_by_agents()
    {
        var agent = As("alice");
        var lead = As("lena");
        var policy = new { priority = "High", firstResponseMinutes = 30, resolutionMinutes = 480 };

        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/api/sla-policies", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PutAsJsonAsync("/api/sla-policies/high", policy, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.DeleteAsync("/api/sla-policies/high", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync("/api/notification-channels", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/api/notifications/deliveries", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await lead.GetAsync("/api/notification-channels", Ct)).StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, (await lead.PutAsJsonAsync("/api/sla-policies/high", policy, Ct)).StatusCode);
    }

    [Fact]
    public async Task The_agents_endpoints_apply_the_same_roles_agents_read_and_rerun_leads_curate_the_knowledge_base()
    {
        var anonymous = App.CreateClient();
        var agent = As("alice");
        var lead = As("lena");
        var article = new { title = "VPN", body = "# Connect\nInstall the client.", tags = new[] { "vpn" } };

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/kb", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/agents/health", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await As(null).GetAsync("/api/kb", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/api/kb", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/api/agents/health", Ct)).StatusCode);
        var denied = await agent.PostAsJsonAsync("/api/kb", article, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal("application/problem+json", denied.Content.Headers.ContentType?.MediaType);

        var created = await lead.PostAsJsonAsync("/api/kb", article, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.ReadJsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PutAsJsonAsync($"/api/kb/{id}", article, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.DeleteAsync($"/api/kb/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await lead.PutAsJsonAsync($"/api/kb/{id}", article, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await lead.DeleteAsync($"/api/kb/{id}", Ct)).StatusCode);

        var ticket = await (await agent.PostAsJsonAsync("/api/tickets", new { title = "Analyze me again" }, Ct)).ReadAsync<AspireTickets.Domain.Tickets.Ticket>();
        Assert.Equal(HttpStatusCode.Accepted, (await agent.PostAsync($"/api/tickets/{ticket.Id}/workflow", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync($"/api/tickets/{ticket.Id}/workflows", Ct)).StatusCode);
    }
}
