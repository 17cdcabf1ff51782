using System.Data.Common;

namespace AspireTickets.Infrastructure.Similarity.Qdrant;

/// <summary>
/// The <c>ConnectionStrings:qdrant_http</c> value Aspire injects: <c>Endpoint=http://host:6333;Key=secret</c>.
/// </summary>
public sealed record QdrantConnection(Uri Endpoint, string? Key)
{
    public static QdrantConnection Parse(string connectionString)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!builder.TryGetValue("Endpoint", out var endpoint) || !Uri.TryCreate(endpoint?.ToString(), UriKind.Absolute, out var uri))
        {
            throw new FormatException("The Qdrant connection string needs Endpoint=http(s)://host:port.");
        }
        var key = builder.TryGetValue("Key", out var value) ? value?.ToString() : null;
        return new QdrantConnection(uri, string.IsNullOrEmpty(key) ? null : key);
    }
}
