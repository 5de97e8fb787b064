using System.Collections.Frozen;
using Microsoft.AspNetCore.Identity;

namespace Hustle.Web.Accounts;

/// <summary>
/// Passwords by NIST SP 800-63B-4: length over composition. At least <see cref="MinimumLength"/> characters (the
/// minimum for a password used as a single factor), up to <see cref="MaximumLength"/>, any characters, no rules about
/// digits, cases or symbols; refused when it is one of the most common passwords (<c>common-passwords.txt</c>,
/// compared case-insensitively) or contains the local part of the account's e-mail address. Identity's own validator
/// applies the length minimum (<c>PasswordTooShort</c>); this one adds the rest. Every error code starts with
/// <c>Password</c>, which is how the sign-up page knows the reason belongs next to the password field.
/// </summary>
public sealed class PasswordPolicy : IPasswordValidator<User>
{
    public const int MinimumLength = 15;

    /// <summary>NIST asks for at least 64; the cap only bounds the work of hashing.</summary>
    public const int MaximumLength = 256;

    /// <summary>Shorter local parts ("al@…") would refuse passwords for containing a couple of ordinary letters.</summary>
    private const int ShortestLocalPartChecked = 3;

    private static readonly Lazy<FrozenSet<string>> Common = new(LoadCommonPasswords);

    public static void Configure(PasswordOptions options)
    {
        options.RequiredLength = MinimumLength;
        options.RequiredUniqueChars = 1;
        options.RequireDigit = false;
        options.RequireLowercase = false;
        options.RequireUppercase = false;
        options.RequireNonAlphanumeric = false;
    }

    public static bool IsCommon(string password) => Common.Value.Contains(password);

    public Task<IdentityResult> ValidateAsync(UserManager<User> manager, User user, string? password)
    {
        password ??= "";
        var errors = new List<IdentityError>();
        if (password.Length > MaximumLength)
        {
            errors.Add(new IdentityError { Code = "PasswordTooLong", Description = $"Passwords must be at most {MaximumLength} characters." });
        }

        if (IsCommon(password))
        {
            errors.Add(new IdentityError { Code = "PasswordTooCommon", Description = "This is one of the most common passwords, the first ones guessed: choose another." });
        }

        var localPart = (user.Email ?? user.UserName ?? "").Split('@')[0];
        if (localPart.Length >= ShortestLocalPartChecked && password.Contains(localPart, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(new IdentityError { Code = "PasswordContainsEmail", Description = "Passwords must not contain your e-mail address." });
        }

        return Task.FromResult(errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]));
    }

    private static FrozenSet<string> LoadCommonPasswords()
    {
        using var stream = typeof(PasswordPolicy).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the build.");
        using var reader = new StreamReader(stream);
        var words = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                words.Add(line);
            }
        }

        return words.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    private const string ResourceName = "Hustle.Web.Accounts.common-passwords.txt";
}
