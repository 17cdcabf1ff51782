using System.Net;
using AngleSharp.Dom;
using AspireTickets.Api.Apis;
using AspireTickets.Api.Model;
using AspireTickets.Domain.Sla;
using AspireTickets.Domain.Tickets;
using AspireTickets.Infrastructure.Notifications;
using AspireTickets.Web.Components.Shared;
using Bunit;

namespace AspireTickets.Tests.Web;

/// <summary>The settings forms: who sees the edit controls, what they send, and each Api reason under its own field.</summary>
public sealed class SettingsEditorsTests
{
    private static readonly SlaPolicyView Stored = new("high", TicketPriority.High, null, TimeSpan.FromHours(1), TimeSpan.FromDays(1),
        new BusinessCalendar { TimeZone = "Europe/Berlin", Holidays = [new DateOnly(2026, 12, 25)] }, IsDefault: false);

    private static readonly SlaPolicyView Default = SlaPolicyView.From(SlaPolicy.DefaultFor(TicketPriority.Low), isDefault: true);

    private static readonly NotificationChannelView Webhook = new("ch1", "Ops hook", NotificationChannelKind.Webhook, "https://ops.example/hook", HasSecret: true,
        [], [1, 2, 3], Enabled: true, Configured: false, DateTimeOffset.UnixEpoch);

    private static readonly NotificationChannelView Slack = new("ch2", "Team chat", NotificationChannelKind.Slack, "https://hooks.slack.com/…", HasSecret: false,
        [], [2, 3], Enabled: true, Configured: false, DateTimeOffset.UnixEpoch);

    private static WebTestContext WithPolicies(string role)
    {
        var ctx = new WebTestContext(role);
        ctx.Api.On(HttpMethod.Get, "/api/sla-policies", new[] { Stored, Default });
        // The forms' selects need it.
        ctx.RenderPopovers();
        return ctx;
    }

    private static IElement Button(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> cut, string label) =>
        cut.FindAll("button").Single(b => b.GetAttribute("aria-label") == label || b.TextContent.Trim() == label);

    /// <summary>The text under an input: its helper or, after a failed save, the reason.</summary>
    private static string Under(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> cut, string inputId) =>
        cut.Find($"#{inputId}").Closest(".mud-input-control")!.QuerySelector(".mud-input-helper-text")?.TextContent ?? "";

    [Theory]
    [InlineData("agent", false)]
    [InlineData("lead", true)]
    [InlineData("admin", true)]
    public async Task Only_leads_and_admins_see_the_controls_that_change_sla_policies(string role, bool canEdit)
    {
        await using var ctx = WithPolicies(role);

        var cut = ctx.Render<SlaPoliciesEditor>();

        cut.WaitForAssertion(() => Assert.Contains("Europe/Berlin, Mon Tue Wed Thu Fri 09:00–17:00, 1 holiday", cut.Markup, StringComparison.Ordinal));
        var buttons = cut.FindAll("button").Select(b => b.GetAttribute("aria-label") ?? b.TextContent.Trim()).ToList();
        Assert.Equal(canEdit, buttons.Contains("Edit SLA policy high"));
        Assert.Equal(canEdit, buttons.Contains("Delete SLA policy high"));
        Assert.Equal(canEdit, buttons.Contains("New policy"));
        // A default has nothing stored to delete.
        Assert.DoesNotContain("Delete SLA policy low", buttons);
    }

    [Fact]
    public async Task Editing_a_policy_sends_its_targets_and_calendar_and_shows_each_api_reason_under_its_field()
    {
        await using var ctx = WithPolicies("lead");
        ctx.Api.On(HttpMethod.Put, "/api/sla-policies/high", _ => (HttpStatusCode.BadRequest, new
        {
            title = "One or more validation errors occurred.",
            status = 400,
            errors = new Dictionary<string, string[]>
            {
                ["calendar.timeZone"] = ["'Mars/Base' is not a known time zone."],
                ["resolution"] = ["The resolution target must not be shorter than the first-response target."],
            },
        }));
        var cut = ctx.Render<SlaPoliciesEditor>();
        cut.WaitForAssertion(() => Button(cut, "Edit SLA policy high").Click());

        cut.Find("#sla-time-zone").Change("Mars/Base");
        cut.Find("#sla-holidays").Change("2026-12-25, 2026-12-26");
        Button(cut, "Save policy").Click();

        cut.WaitForAssertion(() => Assert.Equal("'Mars/Base' is not a known time zone.", Under(cut, "sla-time-zone")));
        Assert.Equal("The resolution target must not be shorter than the first-response target.", Under(cut, "sla-resolution"));
        Assert.Equal(WorkingTimeHint, Under(cut, "sla-first-response"));
        var sent = Assert.Single(ctx.Api.Requests, r => r.Method == HttpMethod.Put).Json;
        Assert.Equal(("High", "01:00:00", "1.00:00:00"), (sent.GetProperty("priority").GetString(), sent.GetProperty("firstResponse").GetString(), sent.GetProperty("resolution").GetString()));
        var calendar = sent.GetProperty("calendar");
        Assert.Equal("Mars/Base", calendar.GetProperty("timeZone").GetString());
        Assert.Equal(["2026-12-25", "2026-12-26"], calendar.GetProperty("holidays").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(5, calendar.GetProperty("workingDays").GetArrayLength());
        // The form stays open with what was typed, so the lead can correct it.
        Assert.Equal("Mars/Base", cut.Find("#sla-time-zone").GetAttribute("value"));
    }

    private static string WorkingTimeHint => AspireTickets.Web.Services.WorkingTime.Hint;

    [Fact]
    public async Task Targets_that_do_not_parse_are_named_before_anything_is_sent()
    {
        await using var ctx = WithPolicies("lead");
        var cut = ctx.Render<SlaPoliciesEditor>();
        cut.WaitForAssertion(() => Button(cut, "New policy").Click());

        // A bare number would parse as days; people mean minutes or hours, so it is refused.
        cut.Find("#sla-first-response").Change("30");
        cut.Find("#sla-resolution").Change("four hours");
        Button(cut, "Save policy").Click();

        cut.WaitForAssertion(() => Assert.StartsWith(WorkingTimeHint + ", more than zero", Under(cut, "sla-first-response"), StringComparison.Ordinal));
        Assert.StartsWith(WorkingTimeHint + ", more than zero", Under(cut, "sla-resolution"), StringComparison.Ordinal);
        Assert.DoesNotContain(ctx.Api.Requests, r => r.Method != HttpMethod.Get);
    }

    [Fact]
    public async Task A_new_policy_is_posted_and_the_list_reloaded()
    {
        await using var ctx = WithPolicies("lead");
        ctx.Api.On(HttpMethod.Post, "/api/sla-policies", _ => (HttpStatusCode.Created, Stored with { Id = "medium", Priority = TicketPriority.Medium, Calendar = null }));
        var cut = ctx.Render<SlaPoliciesEditor>();
        cut.WaitForAssertion(() => Button(cut, "New policy").Click());

        cut.Find("#sla-first-response").Change("00:30");
        Button(cut, "Save policy").Click();

        cut.WaitForAssertion(() => Assert.Equal(2, ctx.Api.Requests.Count(r => r.Method == HttpMethod.Get)));
        var sent = Assert.Single(ctx.Api.Requests, r => r.Method == HttpMethod.Post).Json;
        Assert.Equal("00:30:00", sent.GetProperty("firstResponse").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, sent.GetProperty("calendar").ValueKind);
        Assert.Empty(cut.FindAll("#sla-first-response"));
    }

    private static WebTestContext WithChannels(string role)
    {
        var ctx = new WebTestContext(role);
        ctx.Api.On(HttpMethod.Get, "/api/notification-channels", new[] { Webhook, Slack });
        ctx.Api.On(HttpMethod.Get, "/api/notifications/deliveries", r => (HttpStatusCode.OK, r.Query.Contains("channelId=ch1", StringComparison.Ordinal)
            ? new[] { new NotificationDelivery { ChannelId = "ch1", Status = DeliveryStatus.Failed, Attempts = 5, LastError = "HTTP 502 from ops.example", CreatedAt = DateTimeOffset.UnixEpoch } }
            : []));
        ctx.RenderPopovers();
        return ctx;
    }

    [Theory]
    [InlineData("agent", false)]
    [InlineData("lead", true)]
    public async Task Channels_show_their_recent_failures_and_only_leads_can_change_them(string role, bool canEdit)
    {
        await using var ctx = WithChannels(role);

        var cut = ctx.Render<NotificationChannelsEditor>();

        cut.WaitForAssertion(() => Assert.Contains("HTTP 502 from ops.example", cut.Find("[data-testid=channel-ch1]").TextContent, StringComparison.Ordinal));
        Assert.Contains("none", cut.Find("[data-testid=channel-ch2]").TextContent, StringComparison.Ordinal);
        Assert.Contains(ctx.Api.Requests, r => r.Query.Contains("status=failed", StringComparison.Ordinal) && r.Query.Contains("channelId=ch1", StringComparison.Ordinal));
        Assert.Equal(canEdit, cut.FindAll("button").Any(b => b.GetAttribute("aria-label") == "Edit channel Ops hook"));
        Assert.Equal(canEdit, cut.FindAll("input[aria-label='Ops hook enabled']").Count == 1);
    }

    [Fact]
    public async Task The_stored_secret_is_never_shown_and_kept_unless_a_new_one_is_typed()
    {
        await using var ctx = WithChannels("lead");
        ctx.Api.On(HttpMethod.Put, "/api/notification-channels/ch1", _ => (HttpStatusCode.BadRequest, ApiStub.ValidationProblem("secret", "A webhook needs a signing secret of at least 16 characters.")));
        var cut = ctx.Render<NotificationChannelsEditor>();
        cut.WaitForAssertion(() => Button(cut, "Edit channel Ops hook").Click());

        Assert.True(string.IsNullOrEmpty(cut.Find("#channel-secret").GetAttribute("value")));
        Assert.Equal("password", cut.Find("#channel-secret").GetAttribute("type"));
        Assert.Contains("never shown", Under(cut, "channel-secret"), StringComparison.Ordinal);
        Button(cut, "Save channel").Click();
        cut.WaitForAssertion(() => Assert.Contains(ctx.Api.Requests, r => r.Method == HttpMethod.Put));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, ctx.Api.Requests.Single(r => r.Method == HttpMethod.Put).Json.GetProperty("secret").ValueKind);

        cut.Find("#channel-secret").Change("short");
        Button(cut, "Save channel").Click();

        cut.WaitForAssertion(() => Assert.Equal("A webhook needs a signing secret of at least 16 characters.", Under(cut, "channel-secret")));
        Assert.Equal("short", ctx.Api.Requests.Last(r => r.Method == HttpMethod.Put).Json.GetProperty("secret").GetString());
    }

    [Fact]
    public async Task Switching_a_slack_channel_off_keeps_its_hidden_url()
    {
        await using var ctx = WithChannels("lead");
        ctx.Api.On(HttpMethod.Put, "/api/notification-channels/ch2", Slack with { Enabled = false });
        var cut = ctx.Render<NotificationChannelsEditor>();

        cut.WaitForAssertion(() => cut.Find("input[aria-label='Team chat enabled']").Change(false));

        cut.WaitForAssertion(() => Assert.Contains(ctx.Api.Requests, r => r.Method == HttpMethod.Put));
        var sent = ctx.Api.Requests.Single(r => r.Method == HttpMethod.Put).Json;
        Assert.False(sent.GetProperty("enabled").GetBoolean());
        // The masked URL must not overwrite the real one; null tells the Api to keep it.
        Assert.Equal(System.Text.Json.JsonValueKind.Null, sent.GetProperty("url").ValueKind);
        Assert.Equal([2, 3], sent.GetProperty("levels").EnumerateArray().Select(l => l.GetInt32()));
    }

    private static TaxonomyResponse Taxonomy(params string[] categories) =>
        new(categories, [], [], new Dictionary<TicketStatus, IReadOnlyList<TicketStatus>>());

    [Fact]
    public async Task Leads_edit_categories_as_a_list_and_see_which_one_the_api_refused()
    {
        await using var ctx = new WebTestContext("lead");
        ctx.Api.On(HttpMethod.Put, "/api/taxonomy", _ => (HttpStatusCode.BadRequest, ApiStub.ValidationProblem("categories[2]", "'Bug' is already category 1.")));
        var cut = ctx.Render<TaxonomyEditor>(p => p.Add(x => x.Taxonomy, Taxonomy("bug", "billing")));

        Button(cut, "Remove billing").Click();
        Button(cut, "Add category").Click();
        cut.Find("#category-1").Input("hardware");
        Button(cut, "Add category").Click();
        cut.Find("#category-2").Input("Bug");
        Button(cut, "Save categories").Click();

        cut.WaitForAssertion(() => Assert.Equal("'Bug' is already category 1.", Under(cut, "category-2")));
        Assert.Equal("", Under(cut, "category-1"));
        var sent = ctx.Api.Requests.Single(r => r.Method == HttpMethod.Put).Json;
        Assert.Equal(["bug", "hardware", "Bug"], sent.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task A_saved_taxonomy_is_handed_back_with_who_saved_it()
    {
        await using var ctx = new WebTestContext("admin");
        ctx.Api.On(HttpMethod.Put, "/api/taxonomy", Taxonomy("bug", "network") with { UpdatedBy = "lena", UpdatedAt = DateTimeOffset.UnixEpoch });
        TaxonomyResponse? saved = null;
        var cut = ctx.Render<TaxonomyEditor>(p => p.Add(x => x.Taxonomy, Taxonomy("bug")).Add(x => x.Saved, t => saved = t));
        Assert.Contains("From configuration", cut.Find("[data-testid=taxonomy-origin]").TextContent, StringComparison.Ordinal);
        Assert.True(cut.FindAll("button").Single(b => b.TextContent.Trim() == "Save categories").HasAttribute("disabled"));

        Button(cut, "Add category").Click();
        cut.Find("#category-1").Input("network");
        Button(cut, "Save categories").Click();
        cut.WaitForAssertion(() => Assert.NotNull(saved));
        cut.Render(p => p.Add(x => x.Taxonomy, saved!));

        Assert.Contains("Saved by lena", cut.Find("[data-testid=taxonomy-origin]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agents_see_the_categories_but_no_way_to_change_them()
    {
        await using var ctx = new WebTestContext("agent");

        var cut = ctx.Render<TaxonomyEditor>(p => p.Add(x => x.Taxonomy, Taxonomy("bug", "billing")));

        Assert.Contains("billing", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("input"));
        Assert.DoesNotContain(cut.FindAll("button"), b => b.TextContent.Contains("Save", StringComparison.Ordinal));
    }
}
