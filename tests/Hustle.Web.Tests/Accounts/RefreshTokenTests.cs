using System.Net;
using Hustle.Web.Tests.Sync;

namespace Hustle.Web.Tests.Accounts;

/// <summary>A refresh token is spent by its use; a spent one coming back ends its whole session.</summary>
public sealed class RefreshTokenTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task A_refresh_token_answers_a_new_pair_once()
    {
        var user = await app.CreateUserAsync("refresher");
        var first = await app.SignInOnDeviceAsync(user.Email);

        var answer = await (await app.RefreshAsync(first.RefreshToken)).Json();

        Assert.Equal("Bearer", answer.Str("tokenType"));
        Assert.True(answer.GetProperty("expiresIn").GetInt64() > 0);
        Assert.NotEqual(first.RefreshToken, answer.Str("refreshToken"));
        Assert.Equal(200, await app.MeStatusAsync(answer.Str("accessToken")));
        var second = await (await app.RefreshAsync(answer.Str("refreshToken"))).Json();
        Assert.Equal(200, await app.MeStatusAsync(second.Str("accessToken")));
        Assert.Equal(2, Assert.Single(await app.SessionsOfAsync(user.Id), s => s.RevokedAt is null && s.RefreshGeneration == 2).RefreshGeneration);
    }

    [Fact]
    public async Task Reuse_of_a_spent_refresh_token_is_refused_and_ends_the_rotated_one_and_the_session()
    {
        var user = await app.CreateUserAsync("replayed");
        var stolen = await app.SignInOnDeviceAsync(user.Email);
        var rotated = await (await app.RefreshAsync(stolen.RefreshToken)).Json();
        await using var live = await HubInbox.ConnectAsync(app, user with { Token = rotated.Str("accessToken") });
        var closed = live.Connection.ClosedAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.RefreshAsync(stolen.RefreshToken)).StatusCode);

        await closed;
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.RefreshAsync(rotated.Str("refreshToken"))).StatusCode);
        Assert.Equal(401, await app.MeStatusAsync(rotated.Str("accessToken")));
        Assert.Equal(401, await app.MeStatusAsync(stolen.AccessToken));
        Assert.Equal(200, await app.MeStatusAsync(user.Token));
    }

    [Fact]
    public async Task A_garbage_refresh_token_is_refused()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.RefreshAsync("not-a-token")).StatusCode);
    }
}
