using Hustle.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hustle.Web.Accounts;

/// <summary>What happens when someone registers an address that already has an account (the owner is not told yet).</summary>
public interface IRegisteredAgainNotice
{
    Task AddressRegisteredAgainAsync(User owner);
}

/// <summary>Tells nobody: the answer to the registration is the same either way, and nothing is changed.</summary>
public sealed class SilentRegisteredAgainNotice : IRegisteredAgainNotice
{
    public Task AddressRegisteredAgainAsync(User owner) => Task.CompletedTask;
}

/// <summary>
/// Identity's user manager with two changes. Any save that changes a user's security stamp (password change or
/// reset, <c>UpdateSecurityStampAsync</c>) ends all of that user's sessions on every node. Registering an address
/// that has an account answers as a fresh registration does, after the same password checks and hashing work, and
/// changes nothing, so registration does not tell who has an account.
/// </summary>
public sealed class HustleUserManager(
    IUserStore<User> store,
    IOptions<IdentityOptions> options,
    IPasswordHasher<User> hasher,
    IEnumerable<IUserValidator<User>> userValidators,
    IEnumerable<IPasswordValidator<User>> passwordValidators,
    ILookupNormalizer normalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<User>> log,
    HustleDb db,
    SessionRevocations revocations,
    IRegisteredAgainNotice registeredAgain)
    : UserManager<User>(store, options, hasher, userValidators, passwordValidators, normalizer, errors, services, log)
{
    public override async Task<IdentityResult> CreateAsync(User user, string password)
    {
        var owner = user.Email is { } email ? await FindByEmailAsync(email) : null;
        owner ??= user.UserName is { } name ? await FindByNameAsync(name) : null;
        if (owner is null)
        {
            return await base.CreateAsync(user, password);
        }

        var passwordResult = await ValidatePasswordAsync(user, password);
        if (!passwordResult.Succeeded)
        {
            return passwordResult;
        }

        PasswordHasher.HashPassword(user, password);
        // The register endpoint goes on to make a confirmation token for this unsaved user, which needs a stamp.
        user.SecurityStamp = SessionClaims.NewId();
        await registeredAgain.AddressRegisteredAgainAsync(owner);
        return IdentityResult.Success;
    }

    protected override async Task<IdentityResult> UpdateUserAsync(User user)
    {
        var entry = db.Entry(user);
        var stampChanged = entry.State == EntityState.Detached || entry.Property(u => u.SecurityStamp).OriginalValue != user.SecurityStamp;
        var result = await base.UpdateUserAsync(user);
        if (result.Succeeded && stampChanged)
        {
            await revocations.UserStampChangedAsync(user.Id);
        }

        return result;
    }
}
