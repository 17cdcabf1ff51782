using System.Collections.Concurrent;
using System.Text.Json;
using AspireTickets.Domain.Storage;
using MongoDB.Bson;
using MongoDB.Driver;

namespace AspireTickets.Infrastructure.Documents;

/// <summary>
/// <see cref="IDocumentStore"/> on MongoDB: one collection <c>doc_{name}</c> per name, each document
/// <c>{ _id, grp, at, json }</c>. The value is kept as the same JSON the SQLite adapter stores, so both
/// adapters round-trip a document identically; grp and at are indexed for listing.
/// </summary>
public sealed class MongoDocumentStore(IMongoDatabase database) : IDocumentStore
{
    private readonly ConcurrentDictionary<string, object> _collections = new();

    public IDocumentCollection<T> Collection<T>(string name) where T : class
    {
        if (!SqliteDocumentStore.IsValidName(name))
        {
            throw new ArgumentException($"'{name}' is not a valid collection name (letters, digits and _ only).", nameof(name));
        }
        return (IDocumentCollection<T>)_collections.GetOrAdd(name, n => new DocumentCollection<T>(database.GetCollection<BsonDocument>($"doc_{n}")));
    }

    private sealed class DocumentCollection<T>(IMongoCollection<BsonDocument> collection) : IDocumentCollection<T> where T : class
    {
        private int _indexed;

        public async Task<T?> GetAsync(string id, CancellationToken cancellationToken = default)
        {
            var found = await collection.Find(ById(id)).FirstOrDefaultAsync(cancellationToken);
            return found is null ? null : Deserialize(found);
        }

        public async Task UpsertAsync(StoredDocument<T> document, CancellationToken cancellationToken = default)
        {
            await EnsureIndexesAsync(cancellationToken);
            await collection.ReplaceOneAsync(ById(document.Id), ToBson(document), new ReplaceOptions { IsUpsert = true }, cancellationToken);
        }

        public async Task<bool> TryInsertAsync(StoredDocument<T> document, CancellationToken cancellationToken = default)
        {
            await EnsureIndexesAsync(cancellationToken);
            try
            {
                await collection.InsertOneAsync(ToBson(document), cancellationToken: cancellationToken);
                return true;
            }
            catch (MongoWriteException e) when (e.WriteError.Category == ServerErrorCategory.DuplicateKey)
            {
                return false;
            }
        }

        public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default) =>
            (await collection.DeleteOneAsync(ById(id), cancellationToken)).DeletedCount == 1;

        public async Task<IReadOnlyList<T>> ListAsync(string? group = null, int limit = 1000, bool newestFirst = true, CancellationToken cancellationToken = default)
        {
            var sort = newestFirst
                ? Builders<BsonDocument>.Sort.Descending("at").Descending("_id")
                : Builders<BsonDocument>.Sort.Ascending("at").Ascending("_id");
            var found = await collection.Find(ByGroup(group)).Sort(sort).Limit(Math.Max(0, limit)).ToListAsync(cancellationToken);
            return found.Select(Deserialize).ToList();
        }

        public Task<long> CountAsync(string? group = null, CancellationToken cancellationToken = default) =>
            collection.CountDocumentsAsync(ByGroup(group), cancellationToken: cancellationToken);

        internal static FilterDefinition<BsonDocument> ById(string id) => Builders<BsonDocument>.Filter.Eq("_id", id);

        internal static FilterDefinition<BsonDocument> ByGroup(string? group) =>
            group is null ? Builders<BsonDocument>.Filter.Empty : Builders<BsonDocument>.Filter.Eq("grp", group);

        internal static BsonDocument ToBson(StoredDocument<T> document) => new()
        {
            ["_id"] = document.Id,
            ["grp"] = document.Group is null ? BsonNull.Value : document.Group,
            ["at"] = new BsonDateTime(document.At.UtcDateTime),
            ["json"] = JsonSerializer.Serialize(document.Value, DocumentJson.Options),
        };

        private static T Deserialize(BsonDocument document) => JsonSerializer.Deserialize<T>(document["json"].AsString, DocumentJson.Options)!;

        private async Task EnsureIndexesAsync(CancellationToken ct)
        {
            if (Interlocked.Exchange(ref _indexed, 1) == 1)
            {
                return;
            }
            await collection.Indexes.CreateManyAsync(
            [
                new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("grp").Descending("at")),
                new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Descending("at")),
            ], ct);
        }
    }
}
