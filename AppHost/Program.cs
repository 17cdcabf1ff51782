using Amazon;
using AspireTickets.Cloud;
using Microsoft.Extensions.Configuration;

var builder = DistributedApplication.CreateBuilder(args);

// Secrets are parameters: user secrets (Parameters:{name}) or the dashboard when run, the deployment tool when
// published. None is ever a literal here or in aspire-manifest.json.
var mongoPassword = builder.AddParameter("mongo-password", secret: true);
var cachePassword = builder.AddParameter("cache-password", secret: true);
var qdrantApiKey = builder.AddParameter("qdrant-apikey", secret: true);
var apiKey = builder.AddParameter("api-key", secret: true);
// Shared by the Api, the Agents and the Web: the Web acts for signed-in people with it (see Web/Extensions).
var serviceKey = builder.AddParameter("service-key", secret: true);

// A named volume (not the generated one) so that the tickets survive and the manifest does not depend on
// the machine the AppHost was published on.
var tickets = builder.AddMongoDB("mongo", password: mongoPassword)
    .WithDataVolume("aspiretickets-mongo-data")
    .AddDatabase("tickets");

var kafka = builder.AddKafka("kafka")
    .WithKafkaUI();

var qdrant = builder.AddQdrant("qdrant", apiKey: qdrantApiKey);

var cache = builder.AddRedis("cache", password: cachePassword);

// The language model and AWS are optional where they cost an account: AddConnectionString would make `llm` a
// required parameter (nothing starts until it has a value), so each is added only when configured for the
// AppHost (ConnectionStrings:llm, an AWS section) and always when publishing, so a deployment can provide them.
// Without them the services use their local models, a local raw archive and webhook escalations.
var publishing = builder.ExecutionContext.IsPublishMode;

var llm = publishing || !string.IsNullOrEmpty(builder.Configuration.GetConnectionString("llm"))
    ? builder.AddConnectionString("llm")
    : null;

var awsConfig = publishing || builder.Configuration.GetSection("AWS").Exists()
    ? builder.AddAWSSDKConfig().WithRegion(RegionEndpoint.GetBySystemName(builder.Configuration["AWS:Region"] ?? "us-east-1"))
    : null;
if (awsConfig is not null && builder.Configuration["AWS:Profile"] is { Length: > 0 } awsProfile)
{
    awsConfig.WithProfile(awsProfile);
}

var aws = awsConfig is null
    ? null
    : builder.AddAWSCDKStack("aws", scope => new TicketsStack(scope, "AspireTickets"))
        .WithReference(awsConfig);

var api = builder.AddProject<Projects.Api>("api")
    .WithReference(tickets).WaitFor(tickets)
    .WithReference(kafka).WaitFor(kafka)
    .WithReference(qdrant).WaitFor(qdrant)
    .WithReference(cache).WaitFor(cache)
    .WithEnvironment("Auth__ApiKeys__aspire", apiKey)
    .WithEnvironment("Auth__ServiceKey", serviceKey)
    .WithHttpHealthCheck("/health");

var ingestion = builder.AddProject<Projects.Ingestion>("ingestion")
    .WithReference(tickets).WaitFor(tickets)
    .WithReference(kafka).WaitFor(kafka)
    .WithReference(cache).WaitFor(cache)
    .WithHttpHealthCheck("/health");

// Two replicas: consumers share the Kafka partitions, and the escalation lock (Redis) is really exercised.
var agents = builder.AddProject<Projects.Agents>("agents")
    .WithReplicas(2)
    .WithReference(tickets).WaitFor(tickets)
    .WithReference(kafka).WaitFor(kafka)
    .WithReference(qdrant).WaitFor(qdrant)
    .WithReference(cache).WaitFor(cache)
    // The same keys as the api: its workflow and knowledge-base endpoints authenticate staff and integrations alike.
    .WithEnvironment("Auth__ApiKeys__aspire", apiKey)
    .WithEnvironment("Auth__ServiceKey", serviceKey)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.Web>("web")
    .WithExternalHttpEndpoints()
    .WithReference(api).WaitFor(api)
    // Workflow runs, agents health and the knowledge base are the agents service's endpoints.
    .WithReference(agents).WaitFor(agents)
    .WithReference(cache).WaitFor(cache)
    .WithEnvironment("Auth__ServiceKey", serviceKey)
    .WithHttpHealthCheck("/health");

if (llm is not null)
{
    api.WithReference(llm);
    agents.WithReference(llm);
}

if (awsConfig is not null && aws is not null)
{
    ingestion.WithReference(awsConfig)
        .WithReference(aws, s => s.RawTickets.BucketName, "BucketName", "AWS:Resources:rawtickets")
        .WaitFor(aws);
    // The escalation check runs in the api (one replica at a time, by lock); agents notify too.
    api.WithReference(awsConfig)
        .WithReference(aws, s => s.Escalations.QueueUrl, "QueueUrl", "AWS:Resources:escalations")
        .WaitFor(aws);
    agents.WithReference(awsConfig)
        .WithReference(aws, s => s.Escalations.QueueUrl, "QueueUrl", "AWS:Resources:escalations")
        .WaitFor(aws);
}

builder.Build().Run();
