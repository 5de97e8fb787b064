using System.Net;
using System.Net.Http.Json;
using Hustle.Web.Tests.Sync;

namespace Hustle.Web.Tests.Accounts;

/// <summary>A password change ends every sign-in of the user; the new password signs in at once.</summary>
public sealed class PasswordChangeTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task After_a_password_change_every_old_token_and_connection_is_refused_and_a_fresh_sign_in_works()
    {
        var user = await app.CreateUserAsync("changer");
        var laptop = await app.SignInOnDeviceAsync(user.Email);
        await using var live = await HubInbox.ConnectAsync(app, user);
        var closed = live.Connection.ClosedAsync();

        (await user.Client.PostAsJsonAsync("/api/auth/manage/info", new { oldPassword = TestUser.Password, newPassword = "Another-horse-7" })).EnsureSuccessStatusCode();

        await closed;
        Assert.Equal(401, await app.MeStatusAsync(user.Token));
        Assert.Equal(401, await app.MeStatusAsync(laptop.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.RefreshAsync(laptop.RefreshToken)).StatusCode);
        var fresh = await app.SignInOnDeviceAsync(user.Email, "Another-horse-7");
        var me = await (await app.Bearer(fresh.AccessToken).GetAsync("/api/me")).Json();
        Assert.Equal(user.Id, me.Str("id"));
    }
}
