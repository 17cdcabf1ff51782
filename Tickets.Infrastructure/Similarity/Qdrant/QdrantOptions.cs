namespace AspireTickets.Infrastructure.Similarity.Qdrant;

/// <summary>Section <c>Agents:Qdrant</c>.</summary>
public sealed class QdrantOptions
{
    public const string SectionName = "Agents:Qdrant";

    public string Collection { get; set; } = "tickets";

    /// <summary>Candidates fetched per signal for a hybrid query, as a multiple of the requested top-k.</summary>
    public int HybridOversampling { get; set; } = 4;

    /// <summary>Payload keys with a keyword index, so filters on them stay fast.</summary>
    public List<string> IndexedPayloadKeys { get; set; } = ["status", "category", "kind"];
}
