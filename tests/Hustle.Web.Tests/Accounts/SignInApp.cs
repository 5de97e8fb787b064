using Hustle.Web.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Hustle.Web.Tests.Accounts;

/// <summary>Hustle that takes the client address from <c>X-Forwarded-For</c> (as behind a proxy) and counts password verifications.</summary>
public sealed class SignInApp : TestApp
{
    public CountingHasher Hasher { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["FORWARDEDHEADERS_ENABLED"] = "true" };

    protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton<IPasswordHasher<User>>(Hasher);

    /// <summary>A client whose requests come from <paramref name="address"/>.</summary>
    public HttpClient From(string address)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }
}

/// <summary>Identity's hasher, counting the verifications it makes.</summary>
public sealed class CountingHasher : IPasswordHasher<User>
{
    private readonly PasswordHasher<User> _inner = new();
    private int _verifications;

    public int Verifications => Volatile.Read(ref _verifications);

    public string HashPassword(User user, string password) => _inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref _verifications);
        return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}
