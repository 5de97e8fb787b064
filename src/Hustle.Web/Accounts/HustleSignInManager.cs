using System.Security.Claims;
using Hustle.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hustle.Web.Accounts;

/// <summary>
/// Identity's sign-in with three changes: every sign-in opens a <see cref="UserSession"/> whose id its tokens and
/// cookie carry; wrong passwords feed <see cref="SignInThrottle"/> instead of locking the account (a lockout anyone
/// can trigger); and an unknown e-mail is answered after the same password verification a known one costs, against
/// a dummy hash, so neither the answer nor its time tells whether the address has an account.
/// </summary>
public sealed class HustleSignInManager(
    UserManager<User> users,
    IHttpContextAccessor http,
    IUserClaimsPrincipalFactory<User> claims,
    IOptions<IdentityOptions> identity,
    ILogger<SignInManager<User>> log,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<User> confirmation,
    IDbContextFactory<HustleDb> dbs,
    SignInThrottle throttle,
    TimeProvider clock)
    : SignInManager<User>(users, http, claims, identity, log, schemes, confirmation)
{
    private static string? s_dummyHash;

    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var user = await UserManager.FindByNameAsync(userName);
        SignInResult result;
        if (user is null)
        {
            s_dummyHash ??= UserManager.PasswordHasher.HashPassword(new User(), SessionClaims.NewId());
            UserManager.PasswordHasher.VerifyHashedPassword(new User(), s_dummyHash, password);
            result = SignInResult.Failed;
        }
        else
        {
            result = await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure: false);
        }

        var account = UserManager.NormalizeName(userName);
        var address = SignInThrottleFilter.ClientAddress(Context);
        if (result.Succeeded || result.RequiresTwoFactor || result.IsNotAllowed)
        {
            throttle.Succeeded(account, address);
        }
        else if (!result.IsLockedOut)
        {
            throttle.Failed(account, address);
        }

        return result;
    }

    public override async Task SignInWithClaimsAsync(User user, AuthenticationProperties? authenticationProperties, IEnumerable<Claim> additionalClaims)
    {
        var session = new UserSession { Id = SessionClaims.NewId(), UserId = user.Id, CreatedAt = clock.GetUtcNow() };
        await using (var db = await dbs.CreateDbContextAsync())
        {
            db.Add(session);
            await db.SaveChangesAsync();
        }

        await base.SignInWithClaimsAsync(user, authenticationProperties, [.. additionalClaims, .. SessionClaimsOf(session.Id, 0)]);
    }

    public static Claim[] SessionClaimsOf(string sessionId, int refreshGeneration) =>
    [
        new(SessionClaims.Session, sessionId),
        new(SessionClaims.RefreshGeneration, refreshGeneration.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];
}
