using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Users;
using Microsoft.AspNetCore.Identity;

namespace AspireTickets.Infrastructure.Auth;

/// <summary>The people who may sign in, in the document collection <c>users</c>, with PBKDF2-hashed passwords.</summary>
public sealed class UserDirectory(IDocumentStore documents, TimeProvider time)
{
    public const string CollectionName = "users";
    public const int MinPasswordLength = 8;

    private static readonly PasswordHasher<StaffUser> Hasher = new();

    private IDocumentCollection<StaffUser> Users => documents.Collection<StaffUser>(CollectionName);

    public static string Key(string userName) => userName.Trim().ToLowerInvariant();

    public Task<StaffUser?> FindAsync(string userName, CancellationToken ct) => Users.GetAsync(Key(userName), ct);

    public async Task<IReadOnlyList<StaffUser>> ListAsync(CancellationToken ct) =>
        [.. (await Users.ListAsync(limit: 10_000, newestFirst: false, cancellationToken: ct)).OrderBy(u => u.UserName, StringComparer.OrdinalIgnoreCase)];

    public Task<long> CountAsync(CancellationToken ct) => Users.CountAsync(cancellationToken: ct);

    /// <summary>Creates the user; false when the name is taken.</summary>
    public async Task<bool> CreateAsync(string userName, string? displayName, string role, string password, CancellationToken ct)
    {
        var user = new StaffUser
        {
            UserName = userName.Trim(),
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim(),
            Role = role,
            CreatedAt = time.GetUtcNow(),
        };
        user.PasswordHash = Hasher.HashPassword(user, password);
        return await Users.TryInsertAsync(new StoredDocument<StaffUser>(Key(userName), user, user.CreatedAt), ct);
    }

    public async Task SaveAsync(StaffUser user, CancellationToken ct) =>
        await Users.UpsertAsync(new StoredDocument<StaffUser>(Key(user.UserName), user, user.CreatedAt), ct);

    public static void SetPassword(StaffUser user, string password) => user.PasswordHash = Hasher.HashPassword(user, password);

    /// <summary>The user when the password is right and the account enabled; null otherwise (without saying which).</summary>
    public async Task<StaffUser?> VerifyAsync(string userName, string password, CancellationToken ct)
    {
        var user = await FindAsync(userName, ct);
        if (user is null)
        {
            // Hash anyway so that an unknown name takes as long as a wrong password.
            Hasher.VerifyHashedPassword(new StaffUser(), DummyHash, password);
            return null;
        }
        var result = Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed || user.Disabled)
        {
            return null;
        }
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            SetPassword(user, password);
        }
        user.LastSignInAt = time.GetUtcNow();
        await SaveAsync(user, ct);
        return user;
    }

    private static readonly string DummyHash = Hasher.HashPassword(new StaffUser(), Guid.NewGuid().ToString());
}
