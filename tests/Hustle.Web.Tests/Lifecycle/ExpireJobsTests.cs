using System.Net.Http.Json;
using Hustle.Domain.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Lifecycle;

/// <summary>OPEN and REQUESTED jobs expire at <c>expiresAt</c>, found by the sweep on the (fake) clock.</summary>
public class ExpireJobsTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task A_requested_job_expires_at_its_expiry_time_and_not_a_second_before_and_its_offers_are_declined()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var expiresAt = app.Clock.GetUtcNow().AddDays(2);
        var job = await (await customer.Client.PostAsJsonAsync("/api/jobs", new
        {
            title = "Move a sofa", area = "Soma", location = "1 Market St", pricingType = "FLAT", amount = 3000, currency = "USD", expiresAt,
        })).Json(System.Net.HttpStatusCode.Created);
        var jobId = job.Str("id");
        var offerId = (await hustler.OfferAsync(jobId)).Str("id");

        app.Clock.SetUtcNow(expiresAt.AddSeconds(-1));
        await app.Sweeper.ExpireJobsAsync(CancellationToken.None);
        Assert.Equal(JobStatus.Requested, await app.StatusAsync(jobId));

        app.Clock.SetUtcNow(expiresAt);
        await app.Sweeper.ExpireJobsAsync(CancellationToken.None);

        Assert.Equal("EXPIRED", (await customer.GetJobAsync(jobId)).Str("status"));
        await using var db = app.Db();
        Assert.Equal(OfferStatus.Declined, (await db.Offers.SingleAsync(o => o.Id == offerId)).Status);
        Assert.Single(await customer.EventsAsync(jobId, "JOB_EXPIRED"));
        Assert.Single(await hustler.EventsAsync(jobId, "JOB_EXPIRED"));
        var other = await app.CreateUserAsync("browser");
        var browse = await (await other.Client.GetAsync("/api/jobs")).Json();
        Assert.DoesNotContain(browse.EnumerateArray(), j => j.Str("id") == jobId);
    }

    [Fact]
    public async Task A_job_posted_without_an_expiry_expires_after_the_default_seven_days()
    {
        var customer = await app.CreateUserAsync("customer");
        var postedAt = app.Clock.GetUtcNow();
        var job = await customer.PostFlatJobAsync();
        Assert.Equal(postedAt.AddDays(7), job.GetProperty("expiresAt").GetDateTimeOffset());

        app.Clock.Advance(TimeSpan.FromDays(7));
        await app.Sweeper.ExpireJobsAsync(CancellationToken.None);

        Assert.Equal(JobStatus.Expired, await app.StatusAsync(job.Str("id")));
    }

    [Fact]
    public async Task A_scheduled_job_does_not_expire()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var (jobId, _) = await Api.ScheduledFlatJobAsync(customer, hustler);
        var before = await app.SnapshotAsync(jobId);

        app.Clock.Advance(TimeSpan.FromDays(8));
        await app.Sweeper.ExpireJobsAsync(CancellationToken.None);

        Assert.Equal(before, await app.SnapshotAsync(jobId));
    }
}
