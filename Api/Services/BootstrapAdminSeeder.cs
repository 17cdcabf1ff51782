using AspireTickets.Domain.Users;
using AspireTickets.Infrastructure.Auth;

namespace AspireTickets.Api.Services;

/// <summary>Creates the first admin from <c>Auth:BootstrapAdmin:UserName</c>/<c>Password</c> when no user exists yet.</summary>
public sealed class BootstrapAdminSeeder(UserDirectory users, IConfiguration configuration, ILogger<BootstrapAdminSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var name = configuration["Auth:BootstrapAdmin:UserName"];
        var password = configuration["Auth:BootstrapAdmin:Password"];
        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrEmpty(password))
        {
            if (await users.CountAsync(cancellationToken) == 0)
            {
                logger.LogWarning("No user can sign in: set Auth:BootstrapAdmin:UserName and Auth:BootstrapAdmin:Password to create the first admin.");
            }
            return;
        }
        if (await users.CountAsync(cancellationToken) > 0)
        {
            return;
        }
        if (await users.CreateAsync(name, "Administrator", StaffRoles.Admin, password, cancellationToken))
        {
            logger.LogInformation("Created the first admin {UserName} from Auth:BootstrapAdmin.", name);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
