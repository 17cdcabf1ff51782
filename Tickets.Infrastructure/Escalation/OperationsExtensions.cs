using Amazon;
using Amazon.SQS;
using AspireTickets.Infrastructure.Caching;
using AspireTickets.Infrastructure.Documents;
using AspireTickets.Infrastructure.Notifications;
using AspireTickets.Infrastructure.Sla;
using AspireTickets.Infrastructure.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace AspireTickets.Infrastructure.Escalation;

public static class OperationsExtensions
{
    public const string EscalationQueueUrlKey = "AWS:Resources:escalations:QueueUrl";
    public const string SqsChannelId = "sqs-escalations";

    /// <summary>
    /// Registers SLA escalation and notifications: the check (scheduled every <c>Tickets:Escalation:Interval</c>),
    /// the channels (webhook, Slack, e-mail; the SQS queue when <c>AWS:Resources:escalations:QueueUrl</c> is set),
    /// delivery with retries, and what they depend on (stores, cache, lock, SLA policies). Only the first call registers.
    /// </summary>
    public static IHostApplicationBuilder AddTicketOperations(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(EscalationService)))
        {
            return builder;
        }
        builder.AddTicketStore();
        builder.AddDocumentStore();
        builder.AddTicketsCache();
        builder.AddSlaPolicies();

        services.AddOptions<EscalationOptions>().BindConfiguration(EscalationOptions.SectionName);
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.SectionName);
        services.AddSingleton<NotificationChannelStore>();
        services.AddSingleton<INotificationSender, HttpNotificationSender>();
        services.AddSingleton<INotificationSender, SmtpNotificationSender>();

        var configured = new List<NotificationChannel>();
        var queueUrl = builder.Configuration[EscalationQueueUrlKey];
        if (!string.IsNullOrWhiteSpace(queueUrl))
        {
            var region = builder.Configuration["AWS:Region"];
            services.TryAddSingleton<IAmazonSQS>(_ => CreateSqsClient(queueUrl, region));
            services.AddSingleton<INotificationSender>(sp => new SqsNotificationSender(sp.GetRequiredService<IAmazonSQS>));
            configured.Add(new NotificationChannel { Id = SqsChannelId, Name = "SQS escalation queue", Kind = NotificationChannelKind.Sqs, Url = queueUrl });
        }
        services.AddSingleton(new ConfiguredChannels(configured));
        services.AddSingleton<NotificationDispatcher>();
        services.AddSingleton<EscalationService>();
        services.AddHostedService<EscalationScheduler>();
        services.AddHostedService<NotificationRetryWorker>();
        return builder;
    }

    /// <summary>An SQS client for the queue's region (<c>AWS:Region</c>, else the region in the queue URL) with the SDK's default credentials.</summary>
    internal static AmazonSQSClient CreateSqsClient(string queueUrl, string? region)
    {
        var config = new AmazonSQSConfig();
        region ??= RegionOf(queueUrl);
        if (!string.IsNullOrWhiteSpace(region))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        return new AmazonSQSClient(config);
    }

    /// <summary><c>https://sqs.eu-central-1.amazonaws.com/123/q</c> → <c>eu-central-1</c>.</summary>
    internal static string? RegionOf(string queueUrl) =>
        Uri.TryCreate(queueUrl, UriKind.Absolute, out var uri) && uri.Host.Split('.') is ["sqs", var region, ..] ? region : null;
}
