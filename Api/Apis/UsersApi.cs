using System.Security.Claims;
using System.Text.RegularExpressions;
using AspireTickets.Api.Model;
using AspireTickets.Api.Services;
using AspireTickets.Domain.Users;
using AspireTickets.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AspireTickets.Api.Apis;

public static partial class UsersApi
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        // Only the Web checks passwords (it holds the service key); integrations never see this endpoint work.
        app.MapPost("/api/auth/sign-in", SignIn).WithTags("Users").RequireAuthorization(TicketsPolicies.WebService)
            .WithSummary("Check a person's password (for the Web's sign-in)");
        app.MapGet("/api/me", Me).WithTags("Users").RequireAuthorization(TicketsPolicies.Agent).WithSummary("The signed-in person");

        var users = app.MapGroup("/api/users").WithTags("Users").RequireAuthorization(TicketsPolicies.Admin);
        users.MapGet("/", ListUsers).WithSummary("All users");
        users.MapPost("/", CreateUser).WithSummary("Create a user");
        users.MapPut("/{userName}", UpdateUser).WithSummary("Change a user's name, role, password or disable them");

        var keys = app.MapGroup("/api/api-keys").WithTags("Users").RequireAuthorization(TicketsPolicies.Admin);
        keys.MapGet("/", ListKeys).WithSummary("API keys created in the UI (configured keys are not listed)");
        keys.MapPost("/", CreateKey).WithSummary("Create an API key; the response is the only time the key is shown");
        keys.MapDelete("/{id}", DeleteKey).WithSummary("Revoke an API key");
        return app;
    }

    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> SignIn(SignInRequest request, UserDirectory users, CancellationToken ct)
    {
        var user = string.IsNullOrWhiteSpace(request.UserName) || string.IsNullOrEmpty(request.Password)
            ? null
            : await users.VerifyAsync(request.UserName, request.Password, ct);
        return user is null
            ? TypedResults.Problem("The user name or password is wrong, or the account is disabled.", statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed")
            : TypedResults.Ok(ToResponse(user));
    }

    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> Me(ClaimsPrincipal principal, UserDirectory users, CancellationToken ct)
    {
        var user = principal.Identity?.Name is { } name ? await users.FindAsync(name, ct) : null;
        return user is null
            ? TypedResults.Problem("Signed in with an API key, not as a person.", statusCode: StatusCodes.Status404NotFound, title: "No user")
            : TypedResults.Ok(ToResponse(user));
    }

    public static async Task<Ok<UserResponse[]>> ListUsers(UserDirectory users, CancellationToken ct) =>
        TypedResults.Ok((await users.ListAsync(ct)).Select(ToResponse).ToArray());

    public static async Task<Results<Created<UserResponse>, ValidationProblem>> CreateUser(CreateUserRequest request, UserDirectory users, CancellationToken ct)
    {
        var errors = new TicketValidation.Errors();
        if (string.IsNullOrWhiteSpace(request.UserName) || !UserNamePattern().IsMatch(request.UserName.Trim()))
        {
            errors.Add("userName", "Use 2 to 64 letters, digits, dots, dashes, underscores or @.");
        }
        ValidateRole(errors, request.Role, required: true);
        ValidatePassword(errors, request.Password, required: true);
        if (!errors.Any && !await users.CreateAsync(request.UserName!, request.DisplayName, request.Role!, request.Password!, ct))
        {
            errors.Add("userName", $"The user name '{request.UserName!.Trim()}' is taken.");
        }
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var user = (await users.FindAsync(request.UserName!, ct))!;
        return TypedResults.Created($"/api/users/{Uri.EscapeDataString(user.UserName)}", ToResponse(user));
    }

    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult, ValidationProblem>> UpdateUser(
        string userName, UpdateUserRequest request, UserDirectory users, ClaimsPrincipal principal, CancellationToken ct)
    {
        var user = await users.FindAsync(userName, ct);
        if (user is null)
        {
            return TypedResults.Problem($"There is no user {userName}.", statusCode: StatusCodes.Status404NotFound, title: "User not found");
        }
        var errors = new TicketValidation.Errors();
        ValidateRole(errors, request.Role, required: false);
        ValidatePassword(errors, request.Password, required: false);
        // An admin cannot lock themselves out (and so the product never loses its last admin that way).
        var isSelf = string.Equals(UserDirectory.Key(user.UserName), UserDirectory.Key(principal.Identity?.Name ?? ""), StringComparison.Ordinal);
        if (isSelf && request.Disabled == true)
        {
            errors.Add("disabled", "You cannot disable your own account.");
        }
        if (isSelf && request.Role is { } newRole && newRole != StaffRoles.Admin)
        {
            errors.Add("role", "You cannot take the admin role from yourself.");
        }
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        if (request.DisplayName is not null)
        {
            user.DisplayName = string.IsNullOrWhiteSpace(request.DisplayName) ? null : request.DisplayName.Trim();
        }
        user.Role = request.Role ?? user.Role;
        user.Disabled = request.Disabled ?? user.Disabled;
        if (!string.IsNullOrEmpty(request.Password))
        {
            UserDirectory.SetPassword(user, request.Password);
        }
        await users.SaveAsync(user, ct);
        return TypedResults.Ok(ToResponse(user));
    }

    public static async Task<Ok<ApiKeyResponse[]>> ListKeys(StoredApiKeys keys, CancellationToken ct) =>
        TypedResults.Ok((await keys.ListAsync(ct)).Select(ToResponse).ToArray());

    public static async Task<Results<Created<CreatedApiKeyResponse>, ValidationProblem>> CreateKey(
        CreateApiKeyRequest request, StoredApiKeys keys, ClaimsPrincipal principal, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > 64)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = ["The name is required (at most 64 characters); it becomes the actor in the audit trail."] });
        }
        var (key, secret) = await keys.CreateAsync(request.Name, principal.Identity?.Name ?? "unknown", ct);
        return TypedResults.Created($"/api/api-keys/{key.Id}", new CreatedApiKeyResponse(ToResponse(key), secret));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteKey(string id, StoredApiKeys keys, CancellationToken ct) =>
        await keys.DeleteAsync(id, ct)
            ? TypedResults.NoContent()
            : TypedResults.Problem($"There is no API key {id}.", statusCode: StatusCodes.Status404NotFound, title: "API key not found");

    private static void ValidateRole(TicketValidation.Errors errors, string? role, bool required)
    {
        if ((required || role is not null) && !StaffRoles.IsKnown(role))
        {
            errors.Add("role", $"Use one of: {string.Join(", ", StaffRoles.All)}.");
        }
    }

    private static void ValidatePassword(TicketValidation.Errors errors, string? password, bool required)
    {
        if ((required || !string.IsNullOrEmpty(password)) && (password is null || password.Length < UserDirectory.MinPasswordLength))
        {
            errors.Add("password", $"The password needs at least {UserDirectory.MinPasswordLength} characters.");
        }
    }

    private static UserResponse ToResponse(StaffUser u) => new(u.UserName, u.DisplayName, u.Role, u.Disabled, u.CreatedAt, u.LastSignInAt);

    private static ApiKeyResponse ToResponse(StoredApiKey k) => new(k.Id, k.Name, k.Prefix, k.CreatedBy, k.CreatedAt);

    [GeneratedRegex(@"^[A-Za-z0-9._@-]{2,64}$")]
    private static partial Regex UserNamePattern();
}
