using AspireTickets.Domain.Tickets;
using AspireTickets.Infrastructure.Auth;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.SignalR.Client;

namespace AspireTickets.Web.Services;

/// <summary>
/// One circuit's connection to the Api's ticket hub. Pages subscribe to <see cref="Changed"/>; the connection is
/// opened on first use as the signed-in person (the hub requires the agent role) and reconnects by itself.
/// </summary>
public sealed class TicketsLiveUpdates(ApiEndpoint endpoint, AuthenticationStateProvider authentication, ILogger<TicketsLiveUpdates> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private HubConnection? _connection;

    public event Func<TicketChange, Task>? Changed;

    public bool IsConnected => _connection?.State == HubConnectionState.Connected;

    /// <summary>Connects if not connected yet; false (and a log entry) when the hub cannot be reached.</summary>
    public async Task<bool> EnsureStartedAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_connection is not null)
            {
                return IsConnected;
            }
            var user = (await authentication.GetAuthenticationStateAsync()).User.Identity?.Name;
            if (string.IsNullOrEmpty(user))
            {
                return false;
            }
            var serviceKey = endpoint.ServiceKey;
            _connection = new HubConnectionBuilder()
                .WithUrl(endpoint.HubUrl, options =>
                {
                    options.Headers[WebServiceKey.HeaderName] = serviceKey;
                    options.Headers[WebServiceKey.UserHeaderName] = user;
                })
                .WithAutomaticReconnect()
                .Build();
            _connection.On<TicketChange>(Api.Hubs.TicketsHub.ChangedMethod, async change =>
            {
                if (Changed is { } handlers)
                {
                    foreach (var handler in handlers.GetInvocationList().Cast<Func<TicketChange, Task>>())
                    {
                        await handler(change);
                    }
                }
            });
            await _connection.StartAsync(ct);
            return true;
        }
        catch (Exception ex)
        {
            // Any failure to connect (Api down, transport refused, circuit closing meanwhile) only costs live updates;
            // it must never take the page down. The next page that asks tries again.
            logger.LogWarning(ex, "Live updates are unavailable; the queue refreshes on navigation only.");
            if (_connection is { } failed)
            {
                _connection = null;
                await failed.DisposeAsync();
            }
            return false;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
        _gate.Dispose();
    }
}
