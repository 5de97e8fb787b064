using Hustle.Domain;
using System.Net;
using System.Net.Http.Json;
using Hustle.Web.Tests.Sync;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Hustle.Web.Tests.Accounts;

/// <summary>Signing out ends that sign-in everywhere it was used, and only that one.</summary>
public sealed class SignOutTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task After_logout_the_bearer_its_refresh_token_and_its_hub_connection_are_refused()
    {
        var user = await app.CreateUserAsync("leaver");
        var phone = await app.SignInOnDeviceAsync(user.Email);
        await using var live = await HubInbox.ConnectAsync(app, user with { Token = phone.AccessToken });
        var closed = live.Connection.ClosedAsync();
        Assert.Equal(200, await app.MeStatusAsync(phone.AccessToken));

        (await app.Bearer(phone.AccessToken).PostAsync("/api/auth/logout", null)).EnsureSuccessStatusCode();

        await closed;
        Assert.Equal(401, await app.MeStatusAsync(phone.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.RefreshAsync(phone.RefreshToken)).StatusCode);
        var again = app.Hub(user with { Token = phone.AccessToken }, HttpTransportType.LongPolling);
        await Assert.ThrowsAsync<HttpRequestException>(() => again.StartAsync());
        Assert.Single(await app.SessionsOfAsync(user.Id), s => s.RevokedAt is not null);
    }

    [Fact]
    public async Task Another_devices_session_survives_a_logout()
    {
        var user = await app.CreateUserAsync("two-devices");
        var phone = await app.SignInOnDeviceAsync(user.Email);
        var laptop = await app.SignInOnDeviceAsync(user.Email);
        await using var laptopLive = await HubInbox.ConnectAsync(app, user with { Token = laptop.AccessToken });

        (await app.Bearer(phone.AccessToken).PostAsync("/api/auth/logout", null)).EnsureSuccessStatusCode();

        Assert.Equal(401, await app.MeStatusAsync(phone.AccessToken));
        Assert.Equal(200, await app.MeStatusAsync(laptop.AccessToken));
        Assert.Equal(200, await app.MeStatusAsync(user.Token));
        await (await app.RefreshAsync(laptop.RefreshToken)).Json();
        var job = await (user with { Client = app.Bearer(laptop.AccessToken) }).PostFlatJobAsync();
        await laptopLive.NextAsync<FeedEnvelope>(e => e.JobId == job.Str("id"));
    }

    [Fact]
    public async Task After_logout_the_old_cookie_is_refused()
    {
        var user = await app.CreateUserAsync("browser");
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        browser.DefaultRequestHeaders.Add("Sec-Fetch-Site", "same-origin"); // what a browser on Hustle's own page sends
        var login = await browser.PostAsJsonAsync("/api/auth/login?useCookies=true", new { email = user.Email, password = TestUser.Password });
        login.EnsureSuccessStatusCode();
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal)).Split(';')[0];
        Assert.Equal(HttpStatusCode.OK, (await Send(browser, HttpMethod.Get, "/api/me", cookie)).StatusCode);

        (await Send(browser, HttpMethod.Post, "/api/auth/logout", cookie)).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(browser, HttpMethod.Get, "/api/me", cookie)).StatusCode);
        Assert.Equal(200, await app.MeStatusAsync(user.Token));
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, string cookie)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookie);
        return client.SendAsync(request);
    }
}
