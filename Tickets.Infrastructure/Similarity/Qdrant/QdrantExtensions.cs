using AspireTickets.Domain;
using AspireTickets.Domain.Similarity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace AspireTickets.Infrastructure.Similarity.Qdrant;

public static class QdrantExtensions
{
    public const string HttpClientName = "qdrant";

    /// <summary>
    /// Registers the Qdrant vector index when <c>ConnectionStrings:qdrant_http</c> is set, like Aspire's client
    /// integration would (typed REST client with the endpoint and <c>api-key</c> header, health check).
    /// Returns false, registering nothing, when it is not set.
    /// </summary>
    public static bool TryAddQdrantVectorIndex(this IHostApplicationBuilder builder, int dimensions)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionNames.QdrantHttp);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return false;
        }
        var connection = QdrantConnection.Parse(connectionString);
        var options = new QdrantOptions();
        builder.Configuration.GetSection(QdrantOptions.SectionName).Bind(options);

        builder.Services.AddHttpClient(HttpClientName, http =>
        {
            http.BaseAddress = new Uri(connection.Endpoint.ToString().TrimEnd('/') + "/");
            if (connection.Key is not null)
            {
                http.DefaultRequestHeaders.Add("api-key", connection.Key);
            }
        });
        builder.Services.AddSingleton(sp => new QdrantVectorIndex(sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName), options, dimensions));
        builder.Services.AddSingleton<IVectorIndex>(sp => sp.GetRequiredService<QdrantVectorIndex>());
        builder.Services.AddHealthChecks().AddCheck<QdrantHealthCheck>("qdrant", tags: ["ready"]);
        return true;
    }

    private sealed class QdrantHealthCheck(QdrantVectorIndex index) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await index.EnsureCollectionAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is HttpRequestException or QdrantException or TaskCanceledException)
            {
                return HealthCheckResult.Unhealthy("Qdrant is not reachable.", e);
            }
        }
    }
}
