using System.Net;
using System.Net.Http.Headers;

namespace Hustle.Web.Tests.Jobs;

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
    public async Task A_hustlers_ETag_changes_when_another_hustlers_offer_changes_a_job_in_their_list()
    {
        var customer = await app.CreateUserAsync("customer");
        var first = await app.CreateUserAsync("hustler");
        var second = await app.CreateUserAsync("hustler");
        var jobId = (await customer.PostFlatJobAsync()).Str("id");
        await first.OfferAsync(jobId);
        var cached = await first.Client.GetAsync("/api/jobs/mine");
        var cachedJob = Assert.Single((await cached.Json()).GetProperty("jobs").EnumerateArray());
        Assert.Equal(1, cachedJob.GetProperty("pendingOffers").GetInt32());

        await second.OfferAsync(jobId);

        var revalidated = await GetMine(first, cached.Headers.ETag);
        var fresh = Assert.Single((await revalidated.Json()).GetProperty("jobs").EnumerateArray());
        Assert.NotEqual(cached.Headers.ETag, revalidated.Headers.ETag);
        Assert.Equal(2, fresh.GetProperty("pendingOffers").GetInt32());
        Assert.True(fresh.GetProperty("version").GetInt32() > cachedJob.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task A_wrong_start_code_changes_the_job_and_so_the_ETag_of_both_parties()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var (jobId, _) = await Api.ScheduledFlatJobAsync(customer, hustler);
        var customers = await customer.Client.GetAsync("/api/jobs/mine");
        var hustlers = await hustler.Client.GetAsync("/api/jobs/mine");
        var startCode = (await customer.GetJobAsync(jobId)).Str("startCode");

        await (await hustler.PostAsync($"/api/jobs/{jobId}/start", new { code = startCode == "000000" ? "111111" : "000000" })).Problem(422, "code_invalid");

        Assert.Equal(HttpStatusCode.OK, (await GetMine(customer, customers.Headers.ETag)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetMine(hustler, hustlers.Headers.ETag)).StatusCode);
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
