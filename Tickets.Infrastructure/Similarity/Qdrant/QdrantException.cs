namespace AspireTickets.Infrastructure.Similarity.Qdrant;

public sealed class QdrantException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
