namespace Hustle.Web.Accounts;

/// <summary>
/// One sign-in: the bearer token, refresh tokens and cookie it hands out all carry its <see cref="Id"/> (claim
/// <see cref="SessionClaims.Session"/>). Signing out revokes it alone, so the phone's sign-out leaves the laptop
/// signed in; a security-stamp change (password change, <c>revoke-operator</c>) ends every session of the user.
/// </summary>
public sealed class UserSession
{
    public required string Id { get; init; }

    public required string UserId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// The generation of the one refresh token of this session that may still be spent. Each refresh moves it on;
    /// a refresh token of an older generation is a stolen or replayed one, and revokes the session.
    /// </summary>
    public int RefreshGeneration { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>The claims a session adds to the principal of every token and cookie it hands out.</summary>
public static class SessionClaims
{
    public const string Session = "sid";

    public const string RefreshGeneration = "rgen";

    public static string NewId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}
