namespace AspireTickets.Domain.Storage;

/// <summary>
/// The store for the product's smaller records (workflow runs, knowledge-base articles, SLA policies,
/// processed event ids, dead letters, users, feedback, model versions): named collections of JSON documents
/// with an id, an optional group key (usually the ticket id) and a time to order by.
/// Adapters: SQLite (embedded) and MongoDB (<c>ConnectionStrings:tickets</c>), chosen like the ticket store.
/// </summary>
public interface IDocumentStore
{
    IDocumentCollection<T> Collection<T>(string name) where T : class;
}

public interface IDocumentCollection<T> where T : class
{
    Task<T?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces the document with this id.</summary>
    Task UpsertAsync(StoredDocument<T> document, CancellationToken cancellationToken = default);

    /// <summary>Inserts only if no document has this id; false when one exists. Atomic, so it can guard idempotency.</summary>
    Task<bool> TryInsertAsync(StoredDocument<T> document, CancellationToken cancellationToken = default);

    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Documents of one group (all when <paramref name="group"/> is null), ordered by time.</summary>
    Task<IReadOnlyList<T>> ListAsync(string? group = null, int limit = 1000, bool newestFirst = true, CancellationToken cancellationToken = default);

    Task<long> CountAsync(string? group = null, CancellationToken cancellationToken = default);
}

/// <summary>A document with the keys the store indexes.</summary>
public sealed record StoredDocument<T>(string Id, T Value, DateTimeOffset At, string? Group = null) where T : class;
