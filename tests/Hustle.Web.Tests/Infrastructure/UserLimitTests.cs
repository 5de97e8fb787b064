using System.Net;
using System.Net.Http.Json;

namespace Hustle.Web.Tests.Infrastructure;

/// <summary>Hustle with per-user limits of 2 jobs, 2 offers and 2 threads a minute (a token back every 30 seconds).</summary>
public sealed class LowUserLimitApp : TestApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Hustle:RateLimits:JobsPerMinute"] = "2",
        ["Hustle:RateLimits:OffersPerMinute"] = "2",
        ["Hustle:RateLimits:ThreadsPerMinute"] = "2",
    };
}

/// <summary>
/// Past a user's limit the request is refused with 429 <c>rate_limited</c>, a <c>Retry-After</c> of the time to the
/// next token, and nothing is created; other users go on. (The limiter keeps real time, so the refill is asserted
/// through the Retry-After it announces, not by waiting.) A fresh app per test: each starts with full buckets.
/// </summary>
public sealed class UserLimitTests : IAsyncLifetime
{
    private LowUserLimitApp App { get; } = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await App.DisposeAsync();

    [Fact]
    public async Task Posting_jobs_past_the_per_user_limit_gets_429_with_retry_after_and_creates_no_job()
    {
        var customer = await App.CreateUserAsync("poster");
        await customer.PostFlatJobAsync();
        await customer.PostFlatJobAsync();
        var before = await App.RowCountsAsync();

        var refused = await customer.Client.PostAsJsonAsync("/api/jobs", new { title = "One too many", description = "x", area = "Mission", location = "1 Main St", pricingType = "FLAT", amount = 5000, currency = "USD" });

        await AssertRefusedAsync(refused);
        Assert.Equal(before, await App.RowCountsAsync());
        Assert.Equal(2, (await (await customer.Client.GetAsync("/api/jobs/mine")).Json()).GetProperty("jobs").GetArrayLength());
        var other = await App.CreateUserAsync("other");
        await other.PostFlatJobAsync();
    }

    [Fact]
    public async Task Offers_past_the_per_user_limit_get_429_and_leave_the_job_without_that_offer()
    {
        var (first, second) = (await App.CreateUserAsync("customer"), await App.CreateUserAsync("customer"));
        var jobs = new[] { (await first.PostFlatJobAsync()).Str("id"), (await first.PostFlatJobAsync()).Str("id"), (await second.PostFlatJobAsync()).Str("id") };
        var hustler = await App.CreateUserAsync("hustler");
        await hustler.OfferAsync(jobs[0]);
        await hustler.OfferAsync(jobs[1]);
        var before = await App.SnapshotAsync(jobs[2]);

        await AssertRefusedAsync(await hustler.PostAsync($"/api/jobs/{jobs[2]}/offers", new { message = "me too" }));

        Assert.Equal(before, await App.SnapshotAsync(jobs[2]));
        await (await App.CreateUserAsync("hustler")).OfferAsync(jobs[2]);
    }

    [Fact]
    public async Task Threads_past_the_per_user_limit_get_429_and_open_nothing()
    {
        var (first, second) = (await App.CreateUserAsync("customer"), await App.CreateUserAsync("customer"));
        var jobs = new[] { (await first.PostFlatJobAsync()).Str("id"), (await first.PostFlatJobAsync()).Str("id"), (await second.PostFlatJobAsync()).Str("id") };
        var asker = await App.CreateUserAsync("asker");
        await (await asker.PostAsync($"/api/jobs/{jobs[0]}/threads")).Json(HttpStatusCode.Created);
        await (await asker.PostAsync($"/api/jobs/{jobs[1]}/threads")).Json(HttpStatusCode.Created);

        await AssertRefusedAsync(await asker.PostAsync($"/api/jobs/{jobs[2]}/threads"));

        await using (var db = App.Db())
        {
            Assert.Equal(2, db.MessageThreads.Count(t => t.HustlerId == asker.Id));
        }

        await (await (await App.CreateUserAsync("asker")).PostAsync($"/api/jobs/{jobs[2]}/threads")).Json(HttpStatusCode.Created);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage refused)
    {
        await refused.Problem(429, "rate_limited");
        // Two a minute: the next token comes within 30 seconds.
        var retry = refused.Headers.RetryAfter?.Delta ?? throw new Xunit.Sdk.XunitException("No Retry-After on a 429.");
        Assert.InRange(retry, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
    }
}
