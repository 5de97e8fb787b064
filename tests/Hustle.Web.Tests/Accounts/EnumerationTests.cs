using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Accounts;

/// <summary>Neither sign-in nor registration tells whether an address has an account.</summary>
public sealed class EnumerationTests(SignInApp app) : IClassFixture<SignInApp>
{
    [Fact]
    public async Task Unknown_email_and_wrong_password_get_the_same_answer_after_the_same_password_check()
    {
        var owner = await app.CreateUserAsync("known");
        var client = app.From("192.0.2.10");

        var before = app.Hasher.Verifications;
        var wrongPassword = await client.PostAsJsonAsync("/api/auth/login", new { email = owner.Email, password = "Not-the-password-1" });
        var afterWrong = app.Hasher.Verifications;
        var unknownEmail = await client.PostAsJsonAsync("/api/auth/login", new { email = $"nobody-{Guid.NewGuid():N}@hustle.test", password = "Not-the-password-1" });

        Assert.Equal(wrongPassword.StatusCode, unknownEmail.StatusCode);
        Assert.Equal(401, (int)unknownEmail.StatusCode);
        Assert.Equal(await Comparable(wrongPassword), await Comparable(unknownEmail));
        Assert.Equal(1, afterWrong - before);
        Assert.Equal(1, app.Hasher.Verifications - afterWrong);
    }

    [Fact]
    public async Task Registering_a_known_address_answers_like_a_fresh_registration_and_adds_nobody()
    {
        var owner = await app.CreateUserAsync("taken");
        var client = app.From("192.0.2.20");
        await using var before = app.Db();
        var stampBefore = (await before.Users.AsNoTracking().SingleAsync(u => u.Id == owner.Id)).SecurityStamp;

        var fresh = await client.PostAsJsonAsync("/api/auth/register", new { email = $"fresh-{Guid.NewGuid():N}@hustle.test", password = "Some-password-42" });
        var again = await client.PostAsJsonAsync("/api/auth/register", new { email = owner.Email.ToUpperInvariant(), password = "Some-password-42" });

        Assert.Equal(200, (int)fresh.StatusCode);
        Assert.Equal(fresh.StatusCode, again.StatusCode);
        Assert.Equal(await fresh.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(fresh.Content.Headers.ContentType, again.Content.Headers.ContentType);
        await using var db = app.Db();
        var normalized = owner.Email.ToUpperInvariant();
        var rows = await db.Users.AsNoTracking().Where(u => u.NormalizedEmail == normalized).ToListAsync();
        Assert.Equal(stampBefore, Assert.Single(rows).SecurityStamp);
        Assert.Equal(200, await app.MeStatusAsync(owner.Token));
        (await client.PostAsJsonAsync("/api/auth/login", new { email = owner.Email, password = TestUser.Password })).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Registering_a_known_address_with_a_weak_password_is_refused_like_a_fresh_one()
    {
        var owner = await app.CreateUserAsync("weak");
        var client = app.From("192.0.2.30");

        var fresh = await client.PostAsJsonAsync("/api/auth/register", new { email = $"fresh-{Guid.NewGuid():N}@hustle.test", password = "short" });
        var again = await client.PostAsJsonAsync("/api/auth/register", new { email = owner.Email, password = "short" });

        Assert.Equal(400, (int)fresh.StatusCode);
        Assert.Equal(await Comparable(fresh), await Comparable(again));
    }

    /// <summary>The answer's body without its per-request trace id.</summary>
    private static async Task<string> Comparable(HttpResponseMessage answer)
    {
        var body = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!.AsObject();
        body.Remove("traceId");
        return body.ToJsonString();
    }
}
