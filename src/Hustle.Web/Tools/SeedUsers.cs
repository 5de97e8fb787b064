using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Hustle.Web.Accounts;
using Hustle.Web.Data;
using Hustle.Web.Setup;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Hustle.Web.Tools;

/// <summary>
/// <c>Hustle.Web seed-users --count 10000 --prefix load --password Load-test-1 [--tokens FILE]</c>: writes load-test
/// accounts straight to the database and exits. Registering through the API hashes every password with Identity's
/// deliberately slow PBKDF2; here the hash is computed once and shared (the accounts are interchangeable test
/// users, and the API's login still verifies against it). Users are e-mails <c>{prefix}-{n:D6}@load.hustle.test</c>
/// with the simulated card <c>pm_card_visa</c>, inserted 1 000 per transaction.
/// <para>
/// <c>--tokens FILE</c> also writes one line per user, <c>id TAB email TAB accessToken</c>: the bearer token the
/// login endpoint would answer, made with the app's own <see cref="BearerTokenOptions.BearerTokenProtector"/>
/// (same claims as a password sign-in, same lifetime), each in a session of its own recorded in the database, so the
/// node's session check accepts it until that session is signed out. A node with the same data-protection key ring and content
/// root (same machine, same build folder) accepts them.
/// </para>
/// </summary>
public static class SeedUsers
{
    public const string Domain = "load.hustle.test";
    private const int BatchSize = 1000;

    public static async Task RunAsync(WebApplication app, string[] args)
    {
        var count = int.Parse(Option(args, "--count") ?? "1000", CultureInfo.InvariantCulture);
        var prefix = Option(args, "--prefix") ?? "load";
        var password = Option(args, "--password") ?? throw new ArgumentException("seed-users needs --password.");
        var tokensFile = Option(args, "--tokens");

        await app.MigrateDatabaseAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<HustleDb>();
        var normalizer = services.GetRequiredService<ILookupNormalizer>();
        var clock = Stopwatch.StartNew();

        var hash = services.GetRequiredService<IPasswordHasher<User>>().HashPassword(new User(), password);
        var users = Enumerable.Range(1, count).Select(n => NewUser($"{prefix}-{n:D6}@{Domain}", hash, normalizer)).ToList();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        foreach (var batch in users.Chunk(BatchSize))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Users.AddRange(batch);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            db.ChangeTracker.Clear();
        }

        Console.WriteLine($"seed-users: {count} users {prefix}-000001..{prefix}-{count:D6}@{Domain} written in {clock.Elapsed.TotalSeconds:F1} s");
        if (tokensFile is not null)
        {
            clock.Restart();
            await WriteTokensAsync(services, users, tokensFile);
            Console.WriteLine($"seed-users: {count} bearer tokens written to {tokensFile} in {clock.Elapsed.TotalSeconds:F1} s");
        }
    }

    private static User NewUser(string email, string passwordHash, ILookupNormalizer normalizer) => new()
    {
        UserName = email,
        NormalizedUserName = normalizer.NormalizeName(email),
        Email = email,
        NormalizedEmail = normalizer.NormalizeEmail(email),
        PasswordHash = passwordHash,
        SecurityStamp = Convert.ToHexString(RandomNumberGenerator.GetBytes(20)),
        LockoutEnabled = true,
        PaymentMethod = "pm_card_visa",
    };

    /// <summary>What <c>POST /api/auth/login</c> would hand out, minus the password check: a session each, and its bearer token.</summary>
    private static async Task WriteTokensAsync(IServiceProvider services, IReadOnlyList<User> users, string path)
    {
        var options = services.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>().Get(IdentityConstants.BearerScheme);
        var principals = services.GetRequiredService<IUserClaimsPrincipalFactory<User>>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var sessions = users.Select(u => new UserSession { Id = SessionClaims.NewId(), UserId = u.Id, CreatedAt = now }).ToList();
        var db = services.GetRequiredService<HustleDb>();
        foreach (var batch in sessions.Chunk(BatchSize))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.AddRange(batch);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            db.ChangeTracker.Clear();
        }

        await using var file = new StreamWriter(path);
        foreach (var (user, session) in users.Zip(sessions))
        {
            var principal = await principals.CreateAsync(user);
            // A password sign-in adds the authentication method and its session, as SignInManager does.
            principal.Identities.First().AddClaim(new Claim("amr", "pwd"));
            principal.Identities.First().AddClaims(HustleSignInManager.SessionClaimsOf(session.Id, 0));
            var properties = new AuthenticationProperties { ExpiresUtc = now + options.BearerTokenExpiration };
            var token = options.BearerTokenProtector.Protect(new AuthenticationTicket(principal, properties, $"{IdentityConstants.BearerScheme}:AccessToken"));
            await file.WriteLineAsync($"{user.Id}\t{user.Email}\t{token}");
        }
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
