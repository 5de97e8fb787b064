using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Accounts;

public sealed class PasswordPolicyTests(TestApp app) : IClassFixture<TestApp>
{
    [Theory]
    [InlineData("Password1", "PasswordTooShort PasswordTooCommon")]
    [InlineData("Correct-horse", "PasswordTooShort")]
    [InlineData("passwordpassword", "PasswordTooCommon")]
    [InlineData("PassWordPassWord", "PasswordTooCommon")]
    [InlineData("qwertyuiopasdfgh", "PasswordTooCommon")]
    [InlineData("iloveyouiloveyou", "PasswordTooCommon")]
    public async Task A_short_or_common_password_is_refused_naming_the_reason_and_nothing_is_registered(string password, string codes)
    {
        var email = $"pw-{Guid.NewGuid():N}@hustle.test";

        var problem = await (await app.CreateClient().PostAsJsonAsync("/api/auth/register", new { email, password })).Problem(400, "validation_failed");

        var errors = problem.GetProperty("errors");
        Assert.Equal(codes.Split(' ').Order(), errors.EnumerateObject().Select(e => e.Name).Order());
        Assert.All(errors.EnumerateObject(), e => Assert.False(string.IsNullOrWhiteSpace(e.Value[0].GetString())));
        if (codes.Contains("PasswordTooShort"))
        {
            Assert.Contains("at least 15 characters", errors.GetProperty("PasswordTooShort")[0].GetString());
        }

        await AssertNotRegisteredAsync(email);
    }

    [Fact]
    public async Task A_password_containing_the_e_mail_address_local_part_is_refused()
    {
        var email = $"zanzibar{Guid.NewGuid():N}"[..16] + "@hustle.test";
        var password = $"my {email.Split('@')[0].ToUpperInvariant()} secret";

        var problem = await (await app.CreateClient().PostAsJsonAsync("/api/auth/register", new { email, password })).Problem(400, "validation_failed");

        Assert.Equal(["PasswordContainsEmail"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        await AssertNotRegisteredAsync(email);
    }

    [Theory]
    [InlineData("correct horse battery staple")]
    [InlineData("fifteen letters")]
    public async Task A_long_password_needs_no_digit_capital_or_symbol(string password)
    {
        var email = $"pw-{Guid.NewGuid():N}@hustle.test";
        var client = app.CreateClient();

        (await client.PostAsJsonAsync("/api/auth/register", new { email, password })).EnsureSuccessStatusCode();

        (await client.PostAsJsonAsync("/api/auth/login", new { email, password })).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_64_character_password_is_accepted_and_one_over_256_refused()
    {
        var client = app.CreateClient();
        var email = $"pw-{Guid.NewGuid():N}@hustle.test";
        (await client.PostAsJsonAsync("/api/auth/register", new { email, password = string.Concat(Enumerable.Repeat("Tr0ub4dor&3-", 6))[..64] })).EnsureSuccessStatusCode();

        var tooLong = $"pw-{Guid.NewGuid():N}@hustle.test";
        var problem = await (await client.PostAsJsonAsync("/api/auth/register", new { email = tooLong, password = new string('x', 200) + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N") })).Problem(400, "validation_failed");
        Assert.Equal(["PasswordTooLong"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        await AssertNotRegisteredAsync(tooLong);
    }

    private async Task AssertNotRegisteredAsync(string email)
    {
        var normalized = email.ToUpperInvariant();
        await using var db = app.Db();
        Assert.False(await db.Users.AnyAsync(u => u.NormalizedEmail == normalized));
    }
}
