using System.Collections.Concurrent;
using System.Text.Json;
using AspireTickets.Domain.Storage;
using Microsoft.Data.Sqlite;

namespace AspireTickets.Infrastructure.Documents;

/// <summary>
/// Embedded <see cref="IDocumentStore"/>: one table per collection in <c>documents.db</c> beside the tickets,
/// each row the document's JSON with its id, group and time indexed. WAL lets readers run beside the writer.
/// </summary>
public sealed class SqliteDocumentStore : IDocumentStore
{
    private readonly string _connectionString;
    private readonly ConcurrentDictionary<string, object> _collections = new();
    private readonly ConcurrentDictionary<string, bool> _created = new();

    public SqliteDocumentStore(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "documents.db"),
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
    }

    public IDocumentCollection<T> Collection<T>(string name) where T : class
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException($"'{name}' is not a valid collection name (letters, digits and _ only).", nameof(name));
        }
        return (IDocumentCollection<T>)_collections.GetOrAdd(name, n => new DocumentCollection<T>(this, n));
    }

    internal static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && char.IsAsciiLetter(name[0]);

    private async Task<SqliteConnection> OpenAsync(string table, CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        // synchronous=NORMAL with WAL survives a killed process; only an OS crash may lose the last commits.
        Execute(connection, "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;");
        // Marked only once created: a concurrent first use must not query a table another caller is still creating.
        // Both may run the (idempotent) CREATE; that is harmless.
        if (!_created.ContainsKey(table))
        {
            Execute(connection, $"""
                CREATE TABLE IF NOT EXISTS "doc_{table}" (
                    id TEXT PRIMARY KEY,
                    grp TEXT NULL,
                    at INTEGER NOT NULL,
                    json TEXT NOT NULL
                );
                CREATE INDEX IF NOT EXISTS "ix_doc_{table}_grp_at" ON "doc_{table}" (grp, at);
                CREATE INDEX IF NOT EXISTS "ix_doc_{table}_at" ON "doc_{table}" (at);
                """);
            _created.TryAdd(table, true);
        }
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private sealed class DocumentCollection<T>(SqliteDocumentStore store, string name) : IDocumentCollection<T> where T : class
    {
        private readonly string _table = $"\"doc_{name}\"";

        public async Task<T?> GetAsync(string id, CancellationToken cancellationToken = default)
        {
            await using var connection = await store.OpenAsync(name, cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT json FROM {_table} WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            return await command.ExecuteScalarAsync(cancellationToken) is string json ? Deserialize(json) : null;
        }

        public Task UpsertAsync(StoredDocument<T> document, CancellationToken cancellationToken = default) =>
            WriteAsync(document, "INSERT OR REPLACE", cancellationToken);

        public async Task<bool> TryInsertAsync(StoredDocument<T> document, CancellationToken cancellationToken = default) =>
            await WriteAsync(document, "INSERT OR IGNORE", cancellationToken) == 1;

        public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
        {
            await using var connection = await store.OpenAsync(name, cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = $"DELETE FROM {_table} WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }

        public async Task<IReadOnlyList<T>> ListAsync(string? group = null, int limit = 1000, bool newestFirst = true, CancellationToken cancellationToken = default)
        {
            await using var connection = await store.OpenAsync(name, cancellationToken);
            await using var command = connection.CreateCommand();
            var order = newestFirst ? "DESC" : "ASC";
            command.CommandText = group is null
                ? $"SELECT json FROM {_table} ORDER BY at {order}, id {order} LIMIT $limit"
                : $"SELECT json FROM {_table} WHERE grp = $grp ORDER BY at {order}, id {order} LIMIT $limit";
            command.Parameters.AddWithValue("$limit", Math.Max(0, limit));
            if (group is not null)
            {
                command.Parameters.AddWithValue("$grp", group);
            }

            var results = new List<T>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                results.Add(Deserialize(reader.GetString(0)));
            }
            return results;
        }

        public async Task<long> CountAsync(string? group = null, CancellationToken cancellationToken = default)
        {
            await using var connection = await store.OpenAsync(name, cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = group is null ? $"SELECT COUNT(*) FROM {_table}" : $"SELECT COUNT(*) FROM {_table} WHERE grp = $grp";
            if (group is not null)
            {
                command.Parameters.AddWithValue("$grp", group);
            }
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        private async Task<int> WriteAsync(StoredDocument<T> document, string verb, CancellationToken ct)
        {
            await using var connection = await store.OpenAsync(name, ct);
            await using var command = connection.CreateCommand();
            command.CommandText = $"{verb} INTO {_table} (id, grp, at, json) VALUES ($id, $grp, $at, $json)";
            command.Parameters.AddWithValue("$id", document.Id);
            command.Parameters.AddWithValue("$grp", (object?)document.Group ?? DBNull.Value);
            command.Parameters.AddWithValue("$at", document.At.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$json", JsonSerializer.Serialize(document.Value, DocumentJson.Options));
            return await command.ExecuteNonQueryAsync(ct);
        }

        private static T Deserialize(string json) => JsonSerializer.Deserialize<T>(json, DocumentJson.Options)!;
    }
}
