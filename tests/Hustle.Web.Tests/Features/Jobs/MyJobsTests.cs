using System.Net;
using System.Net.Http.Headers;

namespace Hustle.Web.Tests.Features.Jobs;

public class MyJobsTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task Mine_answers_304_to_its_own_ETag_and_a_new_ETag_once_a_job_changes()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var jobId = (await customer.PostFlatJobAsync()).Str("id");

        var first = await customer.Client.GetAsync("/api/jobs/mine");
        var etag = first.Headers.ETag;
        var body = await first.Json();
        Assert.NotNull(etag);
        Assert.Equal([(jobId, "OPEN")], body.GetProperty("jobs").EnumerateArray().Select(j => (j.Str("id"), j.Str("status"))));
        var cursor = body.GetProperty("cursor").GetInt64();
        Assert.Equal((await customer.FeedAsync())[^1].GetProperty("seq").GetInt64(), cursor);

        var repeat = await GetMine(customer, etag);
        Assert.Equal(HttpStatusCode.NotModified, repeat.StatusCode);
        Assert.Empty(await repeat.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, repeat.Headers.ETag);

        await hustler.OfferAsync(jobId);

        var changed = await GetMine(customer, etag);
        var changedBody = await changed.Json();
        Assert.NotEqual(etag, changed.Headers.ETag);
        Assert.Equal([(jobId, "REQUESTED")], changedBody.GetProperty("jobs").EnumerateArray().Select(j => (j.Str("id"), j.Str("status"))));
        Assert.True(changedBody.GetProperty("cursor").GetInt64() > cursor);
        Assert.Equal(HttpStatusCode.NotModified, (await GetMine(customer, changed.Headers.ETag)).StatusCode);
    }

    [Fact]
    public async Task Mine_holds_the_jobs_a_user_posted_is_assigned_or_has_an_offer_on_and_nothing_else()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var stranger = await app.CreateUserAsync("stranger");
        var (scheduled, _) = await Api.ScheduledFlatJobAsync(customer, hustler);
        var offeredOn = (await customer.PostFlatJobAsync()).Str("id");
        await hustler.OfferAsync(offeredOn);
        var untouched = (await customer.PostFlatJobAsync()).Str("id");

        Assert.Equal(new[] { scheduled, offeredOn, untouched }.Order(StringComparer.Ordinal), await MineIds(customer));
        Assert.Equal(new[] { scheduled, offeredOn }.Order(StringComparer.Ordinal), await MineIds(hustler));
        Assert.Empty(await MineIds(stranger));
    }

    private static Task<HttpResponseMessage> GetMine(TestUser user, EntityTagHeaderValue? etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/jobs/mine");
        request.Headers.IfNoneMatch.Add(etag!);
        return user.Client.SendAsync(request);
    }

    private static async Task<IEnumerable<string>> MineIds(TestUser user) =>
        (await (await user.Client.GetAsync("/api/jobs/mine")).Json()).GetProperty("jobs").EnumerateArray().Select(j => j.Str("id")).Order(StringComparer.Ordinal);
}
