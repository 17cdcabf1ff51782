using System.Text;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace AspireTickets.Infrastructure.Notifications;

/// <summary>
/// The escalation queue of the CDK stack: the webhook's JSON body as the message. On a FIFO queue the ticket id
/// groups the messages (one ticket's escalations stay in order) and the delivery id de-duplicates retries.
/// </summary>
public sealed class SqsNotificationSender(Func<IAmazonSQS> sqsFactory) : INotificationSender
{
    // Created at first use: a client without credentials or region must fail a delivery (recorded), not the check.
    private readonly Lazy<IAmazonSQS> _sqs = new(sqsFactory);

    public SqsNotificationSender(IAmazonSQS sqs) : this(() => sqs)
    {
    }

    public bool Handles(NotificationChannelKind kind) => kind == NotificationChannelKind.Sqs;

    public async Task SendAsync(NotificationChannel channel, NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        var request = new SendMessageRequest
        {
            QueueUrl = channel.Url,
            MessageBody = Encoding.UTF8.GetString(NotificationPayloads.JsonBody(delivery)),
        };
        if (channel.Url?.EndsWith(".fifo", StringComparison.OrdinalIgnoreCase) == true)
        {
            request.MessageGroupId = delivery.Notification.TicketId.ToString();
            request.MessageDeduplicationId = delivery.Id.ToString("N");
        }
        try
        {
            await _sqs.Value.SendMessageAsync(request, cancellationToken);
        }
        catch (AmazonSQSException ex)
        {
            throw new NotificationDeliveryException($"SQS SendMessage failed: {ex.ErrorCode} {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException && !cancellationToken.IsCancellationRequested)
        {
            throw new NotificationDeliveryException($"SQS SendMessage failed: {ex.Message}", ex);
        }
    }
}
