using AspireTickets.Domain.Users;
using Microsoft.AspNetCore.Authorization;

namespace AspireTickets.Infrastructure.Auth;

/// <summary>
/// The authorization rules of the Api and Agents services, the same ones the Web shows and hides controls by. Machine clients
/// (API keys) may work tickets and manage lead-level settings, but users and API keys are for admins only, so a
/// leaked integration key cannot mint itself more keys.
/// </summary>
public static class TicketsPolicies
{
    public const string Agent = "tickets.agent";
    public const string Lead = "tickets.lead";
    public const string Admin = "tickets.admin";

    /// <summary>Only the Web itself, to check a password at sign-in.</summary>
    public const string WebService = "tickets.web-service";

    public static AuthorizationBuilder AddTicketsPolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(Agent, p => p.RequireRole(StaffRoles.Agent, StaffRoles.Lead, StaffRoles.Admin, ApiKeyAuthenticationHandler.ApiClientRole))
        .AddPolicy(Lead, p => p.RequireRole(StaffRoles.Lead, StaffRoles.Admin, ApiKeyAuthenticationHandler.ApiClientRole))
        .AddPolicy(Admin, p => p.RequireRole(StaffRoles.Admin))
        .AddPolicy(WebService, p => p.RequireRole(ApiKeyAuthenticationHandler.WebServiceRole));
}
