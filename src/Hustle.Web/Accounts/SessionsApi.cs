using System.Globalization;
using System.Security.Claims;
using Hustle.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hustle.Web.Accounts;

/// <summary>
/// Sign-out and refresh, over sessions: <c>POST /api/auth/logout</c> ends the caller's session (its bearer, refresh
/// tokens and cookie), and <c>POST /api/auth/refresh</c> (Identity's path and shapes) spends the refresh token: each
/// answers a new pair once, and a spent one coming back revokes the whole session.
/// </summary>
public static class SessionsApi
{
    /// <summary>Maps logout and refresh, and puts Identity's own <c>/refresh</c> behind this one (same path, later order).</summary>
    public static void MapSessions(this RouteGroupBuilder auth, IEndpointConventionBuilder identityEndpoints, string rateLimitPolicy)
    {
        identityEndpoints.Add(endpoint =>
        {
            if (endpoint is RouteEndpointBuilder route && route.RoutePattern.RawText?.EndsWith("/refresh", StringComparison.Ordinal) == true)
            {
                route.Order = 1;
                route.Metadata.Add(new ExcludeFromDescriptionAttribute());
            }
        });
        auth.MapPost("/refresh", RefreshAsync).RequireRateLimiting(rateLimitPolicy).Produces<AccessTokenResponse>()
            .WithName("refresh").WithSummary("Spend a refresh token for a new token pair").ProducesProblem(StatusCodes.Status401Unauthorized);
        auth.MapPost("/logout", LogoutAsync).RequireAuthorization().WithName("logout").WithSummary("Sign out: end the caller's session everywhere it is used");
    }

    private static async Task<Ok> LogoutAsync(HttpContext http, SessionRevocations revocations)
    {
        if (http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } user && http.User.FindFirstValue(SessionClaims.Session) is { } session)
        {
            await revocations.RevokeSessionAsync(user, session, http.RequestAborted);
        }

        await http.SignOutAsync(IdentityConstants.ApplicationScheme);
        return TypedResults.Ok();
    }

    private static async Task<Results<SignInHttpResult, ChallengeHttpResult>> RefreshAsync(
        RefreshRequest body,
        SignInManager<User> signIn,
        IOptionsMonitor<BearerTokenOptions> bearer,
        IDbContextFactory<HustleDb> dbs,
        SessionRevocations revocations,
        TimeProvider clock,
        CancellationToken ct)
    {
        var ticket = bearer.Get(IdentityConstants.BearerScheme).RefreshTokenProtector.Unprotect(body.RefreshToken);
        if (ticket?.Properties.ExpiresUtc is not { } expires || clock.GetUtcNow() >= expires
            || ticket.Principal.FindFirstValue(SessionClaims.Session) is not { } session
            || !int.TryParse(ticket.Principal.FindFirstValue(SessionClaims.RefreshGeneration), NumberStyles.None, CultureInfo.InvariantCulture, out var generation)
            || await signIn.ValidateSecurityStampAsync(ticket.Principal) is not { } user)
        {
            return TypedResults.Challenge();
        }

        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            var spent = await db.Set<UserSession>()
                .Where(s => s.Id == session && s.UserId == user.Id && s.RevokedAt == null && s.RefreshGeneration == generation)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.RefreshGeneration, generation + 1), ct);
            if (spent == 0)
            {
                // Already spent (or the session has ended): whoever holds the newer token may be a thief, so the session ends.
                await revocations.RevokeSessionAsync(user.Id, session, ct);
                return TypedResults.Challenge();
            }
        }

        var principal = await signIn.CreateUserPrincipalAsync(user);
        principal.Identities.First().AddClaims(HustleSignInManager.SessionClaimsOf(session, generation + 1));
        return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
    }
}
