using AspireTickets.Domain.Storage;
using AspireTickets.Infrastructure.Documents;
using MongoDB.Driver;

namespace AspireTickets.Tests.Storage;

public sealed class SqliteDocumentStoreTests : DocumentStoreConformance, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "aspiretickets-docs", Guid.NewGuid().ToString("n"));
    private readonly SqliteDocumentStore _store;

    public SqliteDocumentStoreTests() => _store = new SqliteDocumentStore(_directory);

    protected override IDocumentStore Store => _store;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}

public sealed class MongoDocumentStoreTests : DocumentStoreConformance, IDisposable
{
    private static readonly string? Url = Environment.GetEnvironmentVariable("TICKETS_TEST_MONGODB");
    private readonly MongoClient? _client;
    private readonly string _database = "aspiretickets_docs_" + Guid.NewGuid().ToString("n")[..8];

    public MongoDocumentStoreTests()
    {
        if (!string.IsNullOrWhiteSpace(Url))
        {
            _client = new MongoClient(Url);
        }
    }

    protected override IDocumentStore Store
    {
        get
        {
            Assert.SkipWhen(_client is null, "skipped: no MongoDB at TICKETS_TEST_MONGODB");
            return new MongoDocumentStore(_client!.GetDatabase(_database));
        }
    }

    public void Dispose()
    {
        _client?.DropDatabase(_database);
        _client?.Dispose();
    }
}
