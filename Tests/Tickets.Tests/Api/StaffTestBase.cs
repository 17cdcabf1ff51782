using System.Net;
using System.Net.Http.Json;
using AspireTickets.Infrastructure.Auth;

namespace AspireTickets.Tests.Api;

/// <summary>
/// A test class whose embedded product has people acting through the Web, as its Api client does: the service key
/// plus the person's user name. The first admin is <c>root</c>; the agent <c>alice</c> and the lead <c>lena</c> exist.
/// </summary>
public abstract class StaffTestBase : IAsyncLifetime
{
    public const string ServiceKey = "service-key-for-tests-0123456789";

    protected TicketsAppFactory App { get; } = new();

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        App.Settings["Auth:ServiceKey"] = ServiceKey;
        App.Settings["Auth:BootstrapAdmin:UserName"] = "root";
        App.Settings["Auth:BootstrapAdmin:Password"] = "root-password-1";
        foreach (var (name, role) in new[] { ("alice", "agent"), ("lena", "lead") })
        {
            var created = await As("root").PostAsJsonAsync("/api/users", new { userName = name, displayName = name, role, password = "password-" + name }, Ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
    }

    public ValueTask DisposeAsync() => App.DisposeAsync();

    /// <summary>A client acting for <paramref name="user"/> (or for nobody, as the Web does before sign-in).</summary>
    protected HttpClient As(string? user, string key = ServiceKey)
    {
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Add(WebServiceKey.HeaderName, key);
        if (user is not null)
        {
            client.DefaultRequestHeaders.Add(WebServiceKey.UserHeaderName, user);
        }
        return client;
    }
}
