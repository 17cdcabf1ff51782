using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace AspireTickets.EndToEnd;

/// <summary>A support agent's day in the real browser against the real product, with a screenshot of every page.</summary>
public sealed partial class StaffWorkflowTests(ProductProcess product, BrowserFixture browser) : IClassFixture<ProductProcess>, IClassFixture<BrowserFixture>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task An_agent_files_watches_works_and_resolves_tickets()
    {
        var ct = TestContext.Current.CancellationToken;
        var page = await browser.NewPageAsync(product, PageScreens.Desktop);

        // Sign in.
        await page.GotoAsync("/account/login");
        await page.ShotAsync("01-sign-in");
        await page.SignInAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ticket queue" })).ToBeVisibleAsync();

        // Create a ticket through the form: first without a title (the Api's field error shows under the field).
        await page.GotoAsync("/new");
        await page.WaitForBlazorAsync();
        await page.GetByTestId("save-ticket").ClickAsync();
        await Assertions.Expect(page.GetByText("The title is required.")).ToBeVisibleAsync();
        await page.FillAsync("#ticket-reporter-email", "not-an-address");
        await page.GetByTestId("save-ticket").ClickAsync();
        await Assertions.Expect(page.GetByText("'not-an-address' is not an e-mail address.")).ToBeVisibleAsync();
        await page.ShotAsync("03-new-ticket-errors");
        var formTitle = "VPN drops every ten minutes " + Suffix();
        await page.FillAsync("#ticket-title", formTitle);
        await page.FillAsync("#ticket-description", "Since Monday the VPN client disconnects every ten minutes.\nWindows 11, client 5.2.");
        await page.FillAsync("#ticket-reporter-name", "Dana Reporter");
        await page.FillAsync("#ticket-reporter-email", "dana@example.com");
        await page.SelectAsync("ticket-priority", "High");
        await page.GetByTestId("save-ticket").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/tickets/[0-9a-f-]{36}$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = formTitle })).ToBeVisibleAsync();
        var formTicketId = Guid.Parse(page.Url[^36..]);
        using var api = product.CreateApiClient();
        var stored = await api.GetFromJsonAsync<JsonElement>($"api/tickets/{formTicketId}", Json, ct);
        Assert.Equal("High", stored.GetProperty("priority").GetString());
        Assert.Equal("web", stored.GetProperty("source").GetString());

        // The queue shows a ticket created through the API without a reload.
        await page.GotoAsync("/tickets");
        await page.WaitForBlazorAsync();
        await Assertions.Expect(page.GetByTestId("live-state")).ToContainTextAsync("Live");
        var apiTitle = "Invoice PDF is empty " + Suffix();
        var created = await api.PostAsJsonAsync("api/tickets",
            new { title = apiTitle, description = "The March invoice downloads as a 0-byte PDF.", priority = "Critical", category = "billing", reporter = new { name = "Lee", email = "lee@example.com" } }, ct);
        created.EnsureSuccessStatusCode();
        var apiTicketId = (await created.Content.ReadFromJsonAsync<JsonElement>(Json, ct)).GetProperty("id").GetGuid();
        await Assertions.Expect(page.GetByText(apiTitle)).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await page.ShotAsync("02-queue");

        // Filters live in the URL.
        await page.FillAsync("#filter-text", "invoice");
        await page.WaitForURLAsync(new Regex(@"[?&]q=invoice"));
        await Assertions.Expect(page.GetByText(apiTitle)).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText(formTitle)).ToHaveCountAsync(0);

        // Open it, reply, and resolve it (only lifecycle-allowed statuses are offered).
        await page.GetByText(apiTitle).ClickAsync();
        await page.WaitForURLAsync($"**/tickets/{apiTicketId}");
        await Assertions.Expect(page.GetByTestId("description")).ToContainTextAsync("0-byte PDF");
        await page.FillAsync("#reply-text", "We are regenerating the invoice; you will have it within the hour.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
        await Assertions.Expect(page.GetByText("We are regenerating the invoice")).ToBeVisibleAsync();
        await page.SelectAsync("prop-status", "Resolved");
        await page.FillAsync("#prop-reason", "Invoice regenerated");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-chip").Filter(new() { HasText = "Resolved" }).First).ToBeVisibleAsync();

        // The audit timeline records who changed what, and why.
        var audit = page.GetByTestId("audit");
        // The agents may have triaged the ticket first (New → Triaged), so only the last move is certain.
        await Assertions.Expect(audit).ToContainTextAsync(new System.Text.RegularExpressions.Regex("status: (New|Triaged) → Resolved"));
        await Assertions.Expect(audit).ToContainTextAsync("Invoice regenerated");
        await Assertions.Expect(audit).ToContainTextAsync(ProductProcess.AdminUser);
        await page.ShotAsync("04-ticket-detail");
        var resolved = await api.GetFromJsonAsync<JsonElement>($"api/tickets/{apiTicketId}", Json, ct);
        Assert.Equal("Resolved", resolved.GetProperty("status").GetString());

        // Analytics shows the same numbers as the Api.
        await page.GotoAsync("/analytics");
        await page.WaitForBlazorAsync();
        var today = DateTime.UtcNow.Date;
        var query = string.Create(CultureInfo.InvariantCulture, $"from={today.AddDays(-29):yyyy-MM-dd}&to={today:yyyy-MM-dd}&timeZone=UTC");
        var summary = await api.GetFromJsonAsync<JsonElement>($"api/analytics/summary?{query}", Json, ct);
        Assert.True(summary.GetProperty("total").GetInt32() >= 2);
        await Assertions.Expect(page.GetByTestId("kpi-total")).ToHaveTextAsync(summary.GetProperty("total").GetInt32().ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(page.GetByTestId("kpi-backlog")).ToHaveTextAsync(summary.GetProperty("openBacklog").GetInt32().ToString(CultureInfo.InvariantCulture));
        await page.ShotAsync("05-analytics");

        // A lead (the admin here) changes an SLA target in the settings; the Api stores it.
        await page.GotoAsync("/settings");
        await page.WaitForBlazorAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "SLA policies" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit SLA policy critical" }).ClickAsync();
        await page.FillAsync("#sla-first-response", "00:20");
        await page.ShotAsync("08-settings-sla-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save policy" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("sla-critical")).ToContainTextAsync("20 min");
        await page.ShotAsync("08-settings");
        var policy = await api.GetFromJsonAsync<JsonElement>("api/sla-policies/critical", Json, ct);
        Assert.Equal(("00:20:00", false), (policy.GetProperty("firstResponse").GetString(), policy.GetProperty("isDefault").GetBoolean()));

        foreach (var (path, name) in new[] { ("/kb", "06-knowledge-base"), ("/agents", "07-agents"), ($"/tickets/{formTicketId}/edit", "09-edit-ticket") })
        {
            await page.GotoAsync(path);
            await page.WaitForBlazorAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            await page.ShotAsync(name);
        }
    }

    [Fact]
    public async Task The_suggested_resolution_is_edited_and_approved()
    {
        var ct = TestContext.Current.CancellationToken;
        using var api = product.CreateApiClient();
        // What the team already knows: a knowledge-base article the suggestion can be grounded in and cite.
        var article = await api.PostAsJsonAsync("api/kb", new
        {
            title = "Password reset e-mails " + Suffix(),
            body = "## Reset e-mail does not arrive\n\n1. Ask your IT team to allow mail from our sender address; company filters often block password reset e-mails.\n2. Request a new password reset link; links expire after 60 minutes.\n3. An admin can set a temporary password under User management.\n",
            tags = new[] { "password", "email" },
        }, ct);
        article.EnsureSuccessStatusCode();

        var created = await api.PostAsJsonAsync("api/tickets",
            new { title = "Password reset e-mail never arrives " + Suffix(), description = "I requested a password reset three times and got no e-mail.", category = "account" }, ct);
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Json, ct)).GetProperty("id").GetGuid();

        // The agents' workflow analyses new tickets in the background; give it time.
        JsonElement ticket = default;
        for (var waited = 0; waited < 60; waited++)
        {
            ticket = await api.GetFromJsonAsync<JsonElement>($"api/tickets/{id}", Json, ct);
            if (ticket.TryGetProperty("analysis", out var a) && a.ValueKind == JsonValueKind.Object && a.TryGetProperty("suggestion", out var s) && s.ValueKind == JsonValueKind.Object)
            {
                break;
            }
            await Task.Delay(1000, ct);
        }
        if (!ticket.TryGetProperty("analysis", out var analysis) || analysis.ValueKind != JsonValueKind.Object
            || !analysis.TryGetProperty("suggestion", out var suggestion) || suggestion.ValueKind != JsonValueKind.Object)
        {
            Assert.Fail($"The agents' workflow gave no suggestion within 60 s: {ticket}");
        }

        var page = await browser.NewPageAsync(product, PageScreens.Desktop);
        await page.SignInAsync();
        await page.GotoAsync($"/tickets/{id}");
        await page.WaitForBlazorAsync();
        await Assertions.Expect(page.GetByTestId("analysis")).ToContainTextAsync("Confidence");
        await Assertions.Expect(page.GetByTestId("suggestion-text")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("suggestion-state")).ToHaveTextAsync("Proposed");
        await page.ShotAsync("10-suggestion");

        await page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).Last.ClickAsync();
        await page.FillAsync("#suggestion-edit-text", "Please check your spam folder; we have also re-sent the reset link.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and approve" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("suggestion-state")).ToHaveTextAsync("Edited");
        await Assertions.Expect(page.GetByTestId("audit")).ToContainTextAsync("suggestion: Proposed → Edited");
        await page.ShotAsync("11-suggestion-edited");

        var reviewed = await api.GetFromJsonAsync<JsonElement>($"api/tickets/{id}", Json, ct);
        Assert.Equal("Edited", reviewed.GetProperty("analysis").GetProperty("suggestion").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Every_page_fits_a_phone_screen()
    {
        var ct = TestContext.Current.CancellationToken;
        using var api = product.CreateApiClient();
        var created = await api.PostAsJsonAsync("api/tickets", new { title = "App crashes on start " + Suffix(), description = "Android 14, version 3.1.", priority = "High" }, ct);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Json, ct)).GetProperty("id").GetGuid();

        var page = await browser.NewPageAsync(product, PageScreens.Phone);
        var blocked = page.RecordPolicyViolations();
        await page.GotoAsync("/account/login");
        await page.ShotAsync("01-sign-in");
        await page.SignInAsync();
        foreach (var (path, name) in new[] { ("/tickets", "02-queue"), ("/new", "03-new-ticket"), ($"/tickets/{id}", "04-ticket-detail"), ("/analytics", "05-analytics"),
            ("/kb", "06-knowledge-base"), ("/agents", "07-agents"), ("/settings", "08-settings") })
        {
            await page.GotoAsync(path);
            await page.WaitForBlazorAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            // Nothing may force the page wider than the phone (tables scroll inside their own box).
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 1, $"{path} is {overflow}px wider than the 390px screen.");
            await page.ShotAsync(name);
        }

        // Signing out posts the app bar's form with its antiforgery token.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/account/login");
        Assert.Empty(blocked);
    }

    private static string Suffix() => Guid.NewGuid().ToString("n")[..6];
}
