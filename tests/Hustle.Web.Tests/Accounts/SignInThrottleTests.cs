using System.Net;
using System.Net.Http.Json;

namespace Hustle.Web.Tests.Accounts;

/// <summary>Password guessing is slowed per account and address, and a stranger cannot lock the owner out.</summary>
public sealed class SignInThrottleTests(SignInApp app) : IClassFixture<SignInApp>
{
    [Fact]
    public async Task A_strangers_20_wrong_passwords_from_another_address_do_not_stop_the_owner_signing_in()
    {
        var owner = await app.CreateUserAsync("owner");
        var stranger = app.From("203.0.113.66");
        var wrong = 0;
        while (wrong < 20)
        {
            var answer = await stranger.PostAsJsonAsync("/api/auth/login", new { email = owner.Email, password = $"Guess-{wrong}-xyz" });
            if (answer.StatusCode == HttpStatusCode.TooManyRequests)
            {
                app.Clock.Advance(answer.Headers.RetryAfter!.Delta!.Value);
                continue;
            }

            Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
            wrong++;
        }

        var mine = await app.From("198.51.100.7").PostAsJsonAsync("/api/auth/login", new { email = owner.Email, password = TestUser.Password });
        Assert.Equal(200, await app.MeStatusAsync((await mine.Json()).Str("accessToken")));
        await using var db = app.Db();
        Assert.Null(db.Users.Single(u => u.Id == owner.Id).LockoutEnd);
    }

    [Fact]
    public async Task Guesses_from_one_address_wait_ever_longer_and_are_told_how_long()
    {
        var owner = await app.CreateUserAsync("guessed");
        var guesser = app.From("203.0.113.77");
        Task<HttpResponseMessage> Guess() => guesser.PostAsJsonAsync("/api/auth/login", new { email = owner.Email, password = "Wrong-password-1" });
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await Guess()).StatusCode);
        }

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 4; i++)
        {
            var refused = await Guess();
            var problem = await refused.Problem(429, "rate_limited");
            Assert.False(string.IsNullOrEmpty(problem.Str("type")));
            var wait = refused.Headers.RetryAfter!.Delta!.Value;
            waits.Add(wait);
            app.Clock.Advance(wait);
            Assert.Equal(HttpStatusCode.Unauthorized, (await Guess()).StatusCode);
        }

        Assert.Equal([1, 2, 4, 8], waits.Select(w => (int)w.TotalSeconds));
        // The right password from that address also waits its turn; after it, the address starts afresh.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await guesser.PostAsJsonAsync("/api/auth/login", new { email = owner.Email, password = TestUser.Password })).StatusCode);
        app.Clock.Advance(TimeSpan.FromSeconds(16));
        (await guesser.PostAsJsonAsync("/api/auth/login", new { email = owner.Email, password = TestUser.Password })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await Guess()).StatusCode);
    }
}
