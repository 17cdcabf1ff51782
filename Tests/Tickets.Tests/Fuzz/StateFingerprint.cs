using System.Security.Cryptography;

namespace AspireTickets.Tests.Fuzz;

/// <summary>
/// A hash of everything a request could change, read through the API as an admin: tickets with their versions
/// (archived ones too), comments and audit counts are covered by the version; knowledge base, users, API keys, SLA
/// policies, notification channels, taxonomy, escalations and dead letters. Equal fingerprints before and after a
/// refused request mean it changed nothing.
/// </summary>
public sealed class StateFingerprint(HttpClient admin)
{
    private static readonly string[] Reads =
    [
        "/api/tickets?archived=include&pageSize=200&sort=created&order=asc",
        "/api/kb",
        "/api/users",
        "/api/api-keys",
        "/api/sla-policies",
        "/api/notification-channels",
        "/api/taxonomy",
        "/api/escalations",
        "/api/dead-letters",
    ];

    public async Task<string> TakeAsync(CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in Reads)
        {
            using var response = await admin.GetAsync(path, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"the fingerprint read {path} answered {(int)response.StatusCode}");
            }
            hash.AppendData(await response.Content.ReadAsByteArrayAsync(cancellationToken));
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
