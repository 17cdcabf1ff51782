using System.Net;
using System.Net.Http.Json;
using AspireTickets.Domain.Storage;
using AspireTickets.Infrastructure.Notifications;
using AspireTickets.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

namespace AspireTickets.Tests.RuntimeSettings;

/// <summary>What the settings page relies on: hidden values survive an edit, and a channel's failures can be asked for.</summary>
public sealed class NotificationChannelsApiTests : ApiTestBase
{
    private const string SlackUrl = "https://hooks.slack.com/services/T000/B000/secret-part";

    [Fact]
    public async Task Switching_a_slack_channel_off_without_its_url_keeps_the_hidden_url()
    {
        var created = await Client.PostAsJsonAsync("/api/notification-channels", new { name = "Team chat", kind = "Slack", url = SlackUrl }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.ReadJsonAsync()).GetProperty("id").GetString()!;
        Assert.DoesNotContain("secret-part", await created.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var changed = await Client.PutAsJsonAsync($"/api/notification-channels/{id}", new { name = "Team chat", kind = "Slack", url = (string?)null, enabled = false }, Ct);

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var stored = await App.Services.GetRequiredService<NotificationChannelStore>().GetAsync(id, Ct);
        Assert.Equal((SlackUrl, false), (stored!.Url, stored.Enabled));
        // A webhook has no hidden URL to fall back to: it must still name one.
        var webhook = await Client.PostAsJsonAsync("/api/notification-channels", new { name = "Hook", kind = "Webhook", url = (string?)null, secret = "0123456789abcdef" }, Ct);
        Assert.True((await webhook.ReadJsonAsync()).GetProperty("errors").TryGetProperty("url", out _));
    }

    [Fact]
    public async Task Failed_deliveries_can_be_listed_for_one_channel()
    {
        var deliveries = App.Services.GetRequiredService<IDocumentStore>().Collection<NotificationDelivery>(NotificationDispatcher.CollectionName);
        foreach (var (channel, error) in new[] { ("ch1", "HTTP 502"), ("ch2", "timeout"), ("ch1", "HTTP 503") })
        {
            var delivery = new NotificationDelivery { ChannelId = channel, Status = DeliveryStatus.Failed, LastError = error, CreatedAt = App.Time.GetUtcNow() };
            await deliveries.UpsertAsync(new StoredDocument<NotificationDelivery>(delivery.Id.ToString(), delivery, delivery.CreatedAt, "failed"), Ct);
            App.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var listed = await Client.GetFromJsonAsync<List<NotificationDelivery>>("/api/notifications/deliveries?status=failed&channelId=ch1&limit=5", TicketsAppFactory.Json, Ct);

        Assert.Equal(["HTTP 503", "HTTP 502"], listed!.Select(d => d.LastError));
    }
}
