using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using Hustle.Domain.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Infrastructure;

/// <summary>Cookie sign-in (what the web client uses) and requests another site makes with that cookie.</summary>
public sealed class CrossSiteRequestTests(TestApp app) : IClassFixture<TestApp>
{
    private const string Evil = "https://evil.example";

    [Fact]
    public async Task A_form_another_site_posts_with_the_cookie_cannot_withdraw_an_offer_and_changes_nothing()
    {
        var (customer, hustler, jobId, offerId) = await OfferAsync();
        var browser = await CookieBrowserAsync(hustler);
        var before = await app.SnapshotAsync(jobId);

        await (await browser.SendAsync(Post($"/api/offers/{offerId}/withdraw", ("Sec-Fetch-Site", "cross-site"), ("Origin", Evil)))).Problem(403, "cross_site_request");
        await (await browser.SendAsync(Post($"/api/offers/{offerId}/withdraw", ("Origin", Evil)))).Problem(403, "cross_site_request");
        await (await browser.SendAsync(Post($"/api/offers/{offerId}/withdraw", ("Origin", "null")))).Problem(403, "cross_site_request");
        await (await browser.SendAsync(Post($"/api/offers/{offerId}/withdraw", ("Sec-Fetch-Site", "same-site"), ("Origin", "https://shop.localhost")))).Problem(403, "cross_site_request");
        await (await browser.SendAsync(Post($"/api/offers/{offerId}/withdraw", ("Referer", Evil + "/form.html")))).Problem(403, "cross_site_request");
        await (await browser.SendAsync(Post($"/api/offers/{offerId}/withdraw"))).Problem(403, "cross_site_request");

        Assert.Equal(before, await app.SnapshotAsync(jobId));
        await using var db = app.Db();
        Assert.Equal(OfferStatus.Pending, (await db.Offers.SingleAsync(o => o.Id == offerId)).Status);
        Assert.Equal(JobStatus.Requested, await app.StatusAsync(jobId));
        Assert.Empty(await customer.EventsAsync(jobId, EventTypes.OfferWithdrawn));
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "same-origin")]
    [InlineData("Origin", "http://localhost")]
    [InlineData("Referer", "http://localhost/#/jobs")]
    public async Task The_web_client_on_its_own_origin_withdraws_with_the_cookie(string header, string value)
    {
        var (customer, hustler, jobId, offerId) = await OfferAsync();
        var browser = await CookieBrowserAsync(hustler);

        var withdrawn = await (await browser.SendAsync(Post($"/api/offers/{offerId}/withdraw", (header, value)))).Json();

        Assert.Equal("WITHDRAWN", withdrawn.Str("status"));
        Assert.Single(await customer.EventsAsync(jobId, EventTypes.OfferWithdrawn));
    }

    [Fact]
    public async Task A_bearer_token_needs_no_origin_even_from_another_site()
    {
        var (_, hustler, _, offerId) = await OfferAsync();
        var (_, other, _, otherOfferId) = await OfferAsync();

        Assert.Equal("WITHDRAWN", (await (await hustler.PostAsync($"/api/offers/{offerId}/withdraw")).Json()).Str("status"));
        var withEvilOrigin = new HttpRequestMessage(HttpMethod.Post, $"/api/offers/{otherOfferId}/withdraw");
        withEvilOrigin.Headers.Add("Origin", Evil);
        Assert.Equal("WITHDRAWN", (await (await other.Client.SendAsync(withEvilOrigin)).Json()).Str("status"));
    }

    [Fact]
    public async Task Signing_in_for_a_cookie_from_another_site_is_refused_and_sets_no_cookie()
    {
        var user = await app.CreateUserAsync("victim");
        var browser = app.CreateClient();
        var login = Post("/api/auth/login?useCookies=true", ("Sec-Fetch-Site", "cross-site"), ("Origin", Evil));
        login.Content = JsonContent.Create(new { email = user.Email, password = TestUser.Password });

        var answer = await browser.SendAsync(login);

        await answer.Problem(403, "cross_site_request");
        Assert.False(answer.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task The_hub_refuses_a_cookie_negotiate_and_a_cookie_WebSocket_from_another_site()
    {
        var user = await app.CreateUserAsync("hub");
        var cookie = await SignInCookieAsync(user);
        var browser = app.CreateClient();
        browser.DefaultRequestHeaders.Add("Cookie", cookie);

        await (await browser.SendAsync(Post("/hubs/sync/negotiate?negotiateVersion=1", ("Sec-Fetch-Site", "cross-site"), ("Origin", Evil)))).Problem(403, "cross_site_request");
        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(Post("/hubs/sync/negotiate?negotiateVersion=1", ("Sec-Fetch-Site", "same-origin")))).StatusCode);

        await Assert.ThrowsAnyAsync<Exception>(() => OpenSocketAsync(cookie, Evil));
        using var sameOrigin = await OpenSocketAsync(cookie, "http://localhost");
        Assert.Equal(WebSocketState.Open, sameOrigin.State);
    }

    private async Task<WebSocket> OpenSocketAsync(string cookie, string origin)
    {
        var client = app.Server.CreateWebSocketClient();
        client.ConfigureRequest = r =>
        {
            r.Headers.Cookie = cookie;
            r.Headers.Origin = origin;
        };
        return await client.ConnectAsync(new Uri(app.Server.BaseAddress, "/hubs/sync").ToWebSocketUri(), CancellationToken.None);
    }

    private async Task<(TestUser Customer, TestUser Hustler, string JobId, string OfferId)> OfferAsync()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var jobId = (await customer.PostFlatJobAsync()).Str("id");
        var offerId = (await hustler.OfferAsync(jobId)).Str("id");
        return (customer, hustler, jobId, offerId);
    }

    /// <summary>An HTTP client that signed <paramref name="user"/> in as the web client does: it keeps the cookie.</summary>
    private async Task<HttpClient> CookieBrowserAsync(TestUser user)
    {
        var browser = app.CreateClient();
        var login = Post("/api/auth/login?useCookies=true", ("Sec-Fetch-Site", "same-origin"));
        login.Content = JsonContent.Create(new { email = user.Email, password = TestUser.Password });
        (await browser.SendAsync(login)).EnsureSuccessStatusCode();
        Assert.Equal(user.Id, (await (await browser.GetAsync("/api/me")).Json()).Str("id"));
        return browser;
    }

    private async Task<string> SignInCookieAsync(TestUser user)
    {
        var client = app.CreateDefaultClient();
        var login = Post("/api/auth/login?useCookies=true", ("Origin", "http://localhost"));
        login.Content = JsonContent.Create(new { email = user.Email, password = TestUser.Password });
        var answer = await client.SendAsync(login);
        answer.EnsureSuccessStatusCode();
        return string.Join("; ", answer.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
    }

    private static HttpRequestMessage Post(string path, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }
}

internal static class UriExtensions
{
    public static Uri ToWebSocketUri(this Uri uri) => new UriBuilder(uri) { Scheme = uri.Scheme == "https" ? "wss" : "ws" }.Uri;
}
