using Amazon.S3;
using AspireTickets.Domain.Archive;
using AspireTickets.Infrastructure.Archive;
using AspireTickets.Infrastructure.RateLimiting;
using AspireTickets.Infrastructure.Sla;
using AspireTickets.Infrastructure.Storage;
using AspireTickets.Ingestion.Apis;
using AspireTickets.Ingestion.Enrichment;
using AspireTickets.Ingestion.Pipeline;
using AspireTickets.Ingestion.Security;
using AspireTickets.Ingestion.Sources;
using AspireTickets.Ingestion.Sources.Alertmanager;
using AspireTickets.Ingestion.Sources.Bulk;
using AspireTickets.Ingestion.Sources.Email;
using AspireTickets.Ingestion.Sources.Jira;
using AspireTickets.Ingestion.Sources.Kafka;
using AspireTickets.Ingestion.Sources.Sentry;
using AspireTickets.Ingestion.Sources.Zendesk;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AspireTickets.Ingestion.Extensions;

public static class Extensions
{
    public const string RawArchiveBucketKey = "AWS:Resources:rawtickets:BucketName";
    public const string DataDirectoryKey = "Tickets:DataDirectory";

    /// <summary>Registers the ticket sources (webhooks, e-mail, bulk import), their verification and enrichment.</summary>
    public static IHostApplicationBuilder AddTicketIngestion(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddTicketStore();
        builder.AddSlaPolicies();
        services.AddProblemDetails();
        builder.AddTicketsRateLimits();
        services.Configure<IngestionOptions>(builder.Configuration.GetSection(IngestionOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);

        services.AddRedaction(redaction => redaction.AddTicketPiiRedactors());
        services.TryAddSingleton<LanguageDetector>();
        services.TryAddSingleton<SentimentAnalyzer>();
        services.TryAddSingleton<KeywordExtractor>();
        services.TryAddSingleton<EntityExtractor>();
        services.TryAddSingleton<PiiMasker>();
        services.TryAddSingleton<TextEnricher>();

        services.TryAddSingleton(RawArchiveFor(builder.Configuration, builder.Environment.ContentRootPath));

        // Scoped: the store may be scoped (a unit of work per request) or a singleton; either works.
        services.TryAddScoped<TicketIngestor>();
        services.TryAddScoped<BulkImporter>();

        services.AddSingleton<ITicketSource, JiraSource>();
        services.AddSingleton<ITicketSource, ZendeskSource>();
        services.AddSingleton<ITicketSource, AlertmanagerSource>();
        services.AddSingleton<ITicketSource, SentrySource>();
        services.AddSingleton<ITicketSource, EmailSource>();

        // Systems that already publish tickets: consumed only when there is a Kafka to consume from.
        var kafka = builder.Configuration.GetConnectionString(AspireTickets.Domain.ConnectionNames.Kafka);
        if (!string.IsNullOrWhiteSpace(kafka))
        {
            var kafkaOptions = new KafkaInboundOptions();
            builder.Configuration.GetSection("Ingestion:Kafka").Bind(kafkaOptions);
            services.AddSingleton(kafkaOptions);
            services.AddSingleton<Func<Confluent.Kafka.IConsumer<string?, byte[]>>>(_ => () => KafkaInboundConsumer.CreateConsumer(kafka, kafkaOptions));
            services.AddHostedService<KafkaInboundConsumer>();
        }
        return builder;
    }

    public static IEndpointRouteBuilder MapTicketIngestion(this IEndpointRouteBuilder app)
    {
        app.MapIngestApi();
        return app;
    }

    /// <summary>S3 when the CDK stack's bucket is configured, else a folder beside the embedded store.</summary>
    private static Func<IServiceProvider, IRawArchive> RawArchiveFor(IConfiguration configuration, string contentRoot) => _ =>
    {
        var bucket = configuration[RawArchiveBucketKey];
        if (!string.IsNullOrWhiteSpace(bucket))
        {
            return new S3RawArchive(new AmazonS3Client(), bucket);
        }
        // Resolved like the embedded store's folder, so the raw archive sits beside tickets.db.
        var dataDirectory = configuration[DataDirectoryKey] is { Length: > 0 } configured ? configured : new TicketStorageOptions().DataDirectory;
        return new LocalRawArchive(Path.Combine(Path.GetFullPath(Path.Combine(contentRoot, dataDirectory)), "raw"));
    };
}
