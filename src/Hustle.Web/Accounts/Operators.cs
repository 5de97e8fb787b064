using Hustle.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;

namespace Hustle.Web.Accounts;

/// <summary>What granting or revoking the operator role did.</summary>
public enum OperatorChange
{
    Granted,
    AlreadyOperator,
    Revoked,
    NotOperator,
    UnknownEmail,
}

/// <summary>
/// The operator role, held as an Identity role (the <c>AspNetRoles</c> / <c>AspNetUserRoles</c> tables). Only
/// whoever runs the app's own commands against its database (<c>grant-operator</c>, <c>revoke-operator</c>) calls
/// this: registration never makes an operator, whatever the e-mail address.
/// </summary>
public static class Operators
{
    /// <summary>Makes the account with <paramref name="email"/> an operator; the role is in its next sign-in or refresh.</summary>
    public static async Task<OperatorChange> GrantAsync(IServiceProvider services, string email)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        if (await users.FindByEmailAsync(email) is not { } user)
        {
            return OperatorChange.UnknownEmail;
        }

        if (await users.IsInRoleAsync(user, CurrentUser.OperatorRole))
        {
            return OperatorChange.AlreadyOperator;
        }

        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        if (!await roles.RoleExistsAsync(CurrentUser.OperatorRole))
        {
            Check(await roles.CreateAsync(new IdentityRole(CurrentUser.OperatorRole)));
        }

        Check(await users.AddToRoleAsync(user, CurrentUser.OperatorRole));
        return OperatorChange.Granted;
    }

    /// <summary>
    /// Takes the role away and always changes the account's security stamp, which revokes the tokens and cookies
    /// it holds: a token minted while the person was an operator carries the role until it is refused.
    /// </summary>
    public static async Task<OperatorChange> RevokeAsync(IServiceProvider services, string email)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        if (await users.FindByEmailAsync(email) is not { } user)
        {
            return OperatorChange.UnknownEmail;
        }

        var wasOperator = await users.IsInRoleAsync(user, CurrentUser.OperatorRole);
        if (wasOperator)
        {
            Check(await users.RemoveFromRoleAsync(user, CurrentUser.OperatorRole));
        }

        Check(await users.UpdateSecurityStampAsync(user));
        return wasOperator ? OperatorChange.Revoked : OperatorChange.NotOperator;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => $"{e.Code}: {e.Description}")));
        }
    }
}
