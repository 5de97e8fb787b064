using System.Net;
using System.Net.Http.Json;
using Hustle.Domain.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Jobs;

public class PostJobTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task Posting_a_job_stores_it_OPEN_with_its_history_and_tells_the_customer()
    {
        var customer = await app.CreateUserAsync("customer");
        var scheduledFor = app.Clock.GetUtcNow().AddDays(2);

        var response = await customer.Client.PostAsJsonAsync("/api/jobs", new
        {
            title = "  Hang shelves  ", description = "Three of them", area = "Haight", location = "5 Ashbury St", pricingType = "FLAT", amount = 7500, currency = "GBP", scheduledFor,
        });

        var job = await response.Json(HttpStatusCode.Created);
        Assert.Equal($"/api/jobs/{job.Str("id")}", response.Headers.Location?.OriginalString);
        Assert.StartsWith("job_", job.Str("id"), StringComparison.Ordinal);
        Assert.Equal(("Hang shelves", "OPEN", "NONE", 7500L, "GBP", 0), (job.Str("title"), job.Str("status"), job.Str("paymentStatus"), job.GetProperty("amount").GetInt64(), job.Str("currency"), job.GetProperty("pendingOffers").GetInt32()));
        await using var db = app.Db();
        var stored = await db.Jobs.SingleAsync(j => j.Id == job.Str("id"));
        Assert.Equal((customer.Id, "Hang shelves", JobStatus.Open, (long?)7500, "GBP", (DateTimeOffset?)scheduledFor, app.Clock.GetUtcNow().AddDays(7)), (stored.CustomerId, stored.Title, stored.Status, stored.Amount, stored.Currency, stored.ScheduledFor, stored.ExpiresAt));
        var line = await db.JobHistory.SingleAsync(h => h.JobId == stored.Id);
        Assert.Equal(("POST", customer.Id, "OPEN", "OPEN"), (line.Action, line.Actor, line.From, line.To));
        Assert.Single(await customer.EventsAsync(stored.Id, "JOB_CREATED"));
    }

    [Fact]
    public async Task Job_ids_are_opaque_and_not_sequential()
    {
        var customer = await app.CreateUserAsync("customer");

        var ids = new[] { (await customer.PostFlatJobAsync()).Str("id"), (await customer.PostFlatJobAsync()).Str("id") };

        Assert.All(ids, id => Assert.Matches("^job_[0-9a-f]{32}$", id));
        Assert.NotEqual(ids[0][..12], ids[1][..12]);
    }

    [Fact]
    public async Task Posting_needs_a_signed_in_user()
    {
        var counts = await app.RowCountsAsync();

        var anonymous = await app.CreateClient().PostAsJsonAsync("/api/jobs", new { title = "x", area = "a", location = "l", pricingType = "FLAT", amount = 1, currency = "USD" });

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(counts, await app.RowCountsAsync());
    }
}
