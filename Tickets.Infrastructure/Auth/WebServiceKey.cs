using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace AspireTickets.Infrastructure.Auth;

/// <summary>
/// The secret the Web presents (header <c>X-Tickets-Service-Key</c>) to act for a signed-in person, named by the
/// <c>X-Tickets-User</c> header. Only a caller holding this key may name a user, so the user header cannot be forged
/// by browsers or integrations. In the distributed run the Web, Api and Agents services read <c>Auth:ServiceKey</c> (the AppHost
/// sets it); in the embedded run, when it is not configured, a random key lives in this process's memory only, shared
/// by the modules through this singleton.
/// </summary>
public sealed class WebServiceKey(IConfiguration configuration)
{
    public const string HeaderName = "X-Tickets-Service-Key";
    public const string UserHeaderName = "X-Tickets-User";

    private readonly byte[] _key = Encoding.UTF8.GetBytes(
        configuration["Auth:ServiceKey"] is { Length: > 0 } configured ? configured : Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

    public string Value => Encoding.UTF8.GetString(_key);

    public bool Matches(string presented) => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _key);
}
