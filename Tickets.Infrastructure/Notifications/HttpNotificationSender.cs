using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace AspireTickets.Infrastructure.Notifications;

/// <summary>
/// Webhook and Slack channels. Its own HttpClient, not the factory's default one: the default pipeline retries
/// on its own, and here every attempt must be one recorded attempt with the product's backoff.
/// </summary>
public sealed class HttpNotificationSender : INotificationSender, IDisposable
{
    public const string SignatureHeader = "X-Signature";
    public const string EventHeader = "X-AspireTickets-Event";
    public const string DeliveryHeader = "X-AspireTickets-Delivery";

    private readonly HttpClient _http;

    public HttpNotificationSender(IOptions<NotificationOptions> options) =>
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = options.Value.Delivery.HttpTimeout,
        };

    public bool Handles(NotificationChannelKind kind) => kind is NotificationChannelKind.Webhook or NotificationChannelKind.Slack;

    public async Task SendAsync(NotificationChannel channel, NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(channel.Url, UriKind.Absolute, out var url))
        {
            throw new NotificationDeliveryException($"The channel has no valid URL ('{channel.Url}').");
        }
        var body = channel.Kind == NotificationChannelKind.Slack
            ? NotificationPayloads.SlackBody(delivery.Notification)
            : NotificationPayloads.JsonBody(delivery);

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        if (channel.Kind == NotificationChannelKind.Webhook)
        {
            request.Headers.Add(EventHeader, delivery.Notification.Type);
            request.Headers.Add(DeliveryHeader, delivery.Id.ToString());
            if (!string.IsNullOrEmpty(channel.Secret))
            {
                request.Headers.Add(SignatureHeader, NotificationPayloads.Signature(channel.Secret, body));
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new NotificationDeliveryException($"POST {url.GetLeftPart(UriPartial.Path)} failed: {ex.Message}", ex);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new NotificationDeliveryException($"POST {url.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }
        }
    }

    public void Dispose() => _http.Dispose();
}
