namespace AspireTickets.Domain.Users;

/// <summary>A person who works in the web UI. Stored in the document collection <c>users</c>, keyed by the lower-cased user name.</summary>
public sealed class StaffUser
{
    public string UserName { get; set; } = "";
    public string? DisplayName { get; set; }
    public string Role { get; set; } = StaffRoles.Agent;

    /// <summary>ASP.NET Core Identity's PasswordHasher format (PBKDF2 with a per-user salt); never the password itself.</summary>
    public string PasswordHash { get; set; } = "";
    public bool Disabled { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastSignInAt { get; set; }
}

/// <summary>
/// The roles people have. Each includes the rights of the ones before it: an agent works tickets, a lead also
/// manages taxonomy, SLA policies and the knowledge base, an admin also users and API keys.
/// </summary>
public static class StaffRoles
{
    public const string Agent = "agent";
    public const string Lead = "lead";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Agent, Lead, Admin];

    public static bool IsKnown(string? role) => role is Agent or Lead or Admin;

    /// <summary>True when <paramref name="role"/> has at least the rights of <paramref name="required"/>.</summary>
    public static bool Includes(string? role, string required) =>
        Array.IndexOf([Agent, Lead, Admin], role) >= Array.IndexOf([Agent, Lead, Admin], required) && IsKnown(role) && IsKnown(required);
}
