namespace AspireTickets.Domain;

/// <summary>
/// Names of the connection strings (<c>ConnectionStrings:{name}</c>) whose presence selects a distributed adapter.
/// They are the Aspire resource names the AppHost gives, so the services and the AppHost must agree on them.
/// </summary>
public static class ConnectionNames
{
    /// <summary>MongoDB URL with the database (<c>mongodb://host/tickets</c>); without it tickets live in SQLite.</summary>
    public const string Tickets = "tickets";

    /// <summary>Kafka bootstrap servers; without it events go through an in-process channel.</summary>
    public const string Kafka = "kafka";

    /// <summary>Qdrant REST endpoint (<c>Endpoint=http://…;Key=…</c>); without it the vector index is in-process.</summary>
    public const string QdrantHttp = "qdrant_http";

    /// <summary>Redis (StackExchange.Redis configuration string); without it caching, locks and fan-out are in memory.</summary>
    public const string Cache = "cache";

    /// <summary>OpenAI-compatible endpoint (<c>Endpoint=…;Key=…;Model=…;EmbeddingModel=…</c>); without it local models are used.</summary>
    public const string Llm = "llm";
}
