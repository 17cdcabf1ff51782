namespace AspireTickets.Api.Model;

public sealed record SignInRequest(string? UserName, string? Password);

/// <summary>A user as the Api shows it: never the password hash.</summary>
public sealed record UserResponse(string UserName, string? DisplayName, string Role, bool Disabled, DateTimeOffset CreatedAt, DateTimeOffset? LastSignInAt);

public sealed record CreateUserRequest(string? UserName, string? DisplayName, string? Role, string? Password);

/// <summary>What is null stays as it is.</summary>
public sealed record UpdateUserRequest(string? DisplayName, string? Role, bool? Disabled, string? Password);

public sealed record CreateApiKeyRequest(string? Name);

public sealed record ApiKeyResponse(string Id, string Name, string Prefix, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>The one response that contains the key in clear text.</summary>
public sealed record CreatedApiKeyResponse(ApiKeyResponse Key, string Secret);
