namespace AspireTickets.Tests.Api;

/// <summary>
/// A test class with its own embedded product (fresh data folder, fake clock) and a client holding the API key.
/// Override <see cref="Configure"/> to add settings before the product starts.
/// </summary>
public abstract class ApiTestBase : IAsyncLifetime
{
    protected TicketsAppFactory App { get; } = new();

    protected HttpClient Client { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected virtual void Configure(TicketsAppFactory app)
    {
    }

    public ValueTask InitializeAsync()
    {
        Configure(App);
        Client = App.CreateApiClient();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
