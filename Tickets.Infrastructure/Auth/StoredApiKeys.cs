using System.Security.Cryptography;
using System.Text;
using AspireTickets.Domain.Storage;

namespace AspireTickets.Infrastructure.Auth;

/// <summary>An API key an admin created in the UI. Only the SHA-256 of the key is stored (it is the document id).</summary>
public sealed record StoredApiKey(string Id, string Name, string Prefix, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>
/// API keys managed at run time (collection <c>api_keys</c>), next to the configured <c>Auth:ApiKeys</c>. Keys are
/// 256-bit random values, so a plain SHA-256 is enough to store them (no slow hash needed, unlike passwords).
/// </summary>
public sealed class StoredApiKeys(IDocumentStore documents, TimeProvider time)
{
    public const string CollectionName = "api_keys";

    private IDocumentCollection<StoredApiKey> Keys => documents.Collection<StoredApiKey>(CollectionName);

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public Task<StoredApiKey?> FindAsync(string presentedKey, CancellationToken ct) => Keys.GetAsync(Hash(presentedKey), ct);

    public Task<IReadOnlyList<StoredApiKey>> ListAsync(CancellationToken ct) => Keys.ListAsync(limit: 10_000, cancellationToken: ct);

    /// <summary>Creates a key and returns it in clear text; this is the only time it is ever shown.</summary>
    public async Task<(StoredApiKey Key, string Secret)> CreateAsync(string name, string createdBy, CancellationToken ct)
    {
        var secret = "atk_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        var key = new StoredApiKey(Hash(secret), name.Trim(), secret[..8], createdBy, time.GetUtcNow());
        await Keys.UpsertAsync(new StoredDocument<StoredApiKey>(key.Id, key, key.CreatedAt), ct);
        return (key, secret);
    }

    public Task<bool> DeleteAsync(string id, CancellationToken ct) => Keys.DeleteAsync(id, ct);
}
