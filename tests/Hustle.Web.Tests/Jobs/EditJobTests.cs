using System.Net.Http.Json;
using Hustle.Domain.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Jobs;

/// <summary>Editing (docs/ARCHITECTURE.md §3): OPEN and REQUESTED every field, SCHEDULED no price, IN_PROGRESS nothing.</summary>
public class EditJobTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task The_owner_changes_every_field_of_an_open_job()
    {
        var customer = await app.CreateUserAsync("customer");
        var jobId = (await customer.PostFlatJobAsync(amount: 5000)).Str("id");
        var when = app.Clock.GetUtcNow().AddDays(3);
        var expires = app.Clock.GetUtcNow().AddDays(5);

        var edited = await (await Patch(customer, jobId, new
        {
            title = "Fix the sink and the tap",
            description = "Both leak",
            area = "Noe Valley",
            location = "1 Castro St",
            amount = 6500,
            scheduledFor = when,
            expiresAt = expires,
        })).Json();

        Assert.Equal(("Fix the sink and the tap", "Both leak", "Noe Valley", "1 Castro St", 6500L, "OPEN"), (edited.Str("title"), edited.Str("description"), edited.Str("area"), edited.Str("location"), edited.GetProperty("amount").GetInt64(), edited.Str("status")));
        await using var db = app.Db();
        var job = await db.Jobs.SingleAsync(j => j.Id == jobId);
        Assert.Equal(("Fix the sink and the tap", "Both leak", "Noe Valley", "1 Castro St", (long?)6500, (DateTimeOffset?)when, expires), (job.Title, job.Description, job.Area, job.Location, job.Amount, job.ScheduledFor, job.ExpiresAt));
        var line = await db.JobHistory.Where(h => h.JobId == jobId).OrderBy(h => h.Id).LastAsync();
        Assert.Equal(("EDIT", customer.Id, "OPEN", "OPEN"), (line.Action, line.Actor, line.From, line.To));
    }

    [Fact]
    public async Task The_owner_changes_an_open_hourly_jobs_rate_and_estimate()
    {
        var customer = await app.CreateUserAsync("customer");
        var jobId = (await customer.PostHourlyJobAsync(hourlyRate: 4000, estimatedHours: 3m)).Str("id");

        var edited = await (await Patch(customer, jobId, new { hourlyRate = 4500, estimatedHours = 4.5m })).Json();

        Assert.Equal((4500L, 4.5m), (edited.GetProperty("hourlyRate").GetInt64(), edited.GetProperty("estimatedHours").GetDecimal()));
        await using var db = app.Db();
        var job = await db.Jobs.SingleAsync(j => j.Id == jobId);
        Assert.Equal(((long?)4500, (int?)270), (job.HourlyRate, job.EstimatedMinutes));
    }

    [Fact]
    public async Task Editing_a_requested_job_tells_every_hustler_holding_an_offer()
    {
        var customer = await app.CreateUserAsync("customer");
        var first = await app.CreateUserAsync("hustler");
        var second = await app.CreateUserAsync("hustler");
        var jobId = (await customer.PostFlatJobAsync(amount: 5000)).Str("id");
        await first.OfferAsync(jobId);
        await second.OfferAsync(jobId);

        var edited = await (await Patch(customer, jobId, new { title = "Fix the sink today", amount = 7000 })).Json();

        Assert.Equal(("REQUESTED", "Fix the sink today", 7000L), (edited.Str("status"), edited.Str("title"), edited.GetProperty("amount").GetInt64()));
        foreach (var hustler in new[] { first, second, customer })
        {
            var updated = Assert.Single(await hustler.EventsAsync(jobId, "JOB_UPDATED")).GetProperty("data");
            Assert.Equal(["title", "amount"], updated.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
            Assert.Equal("REQUESTED", updated.Str("status"));
        }

        var seenByHustler = await first.GetJobAsync(jobId);
        Assert.Equal(("Fix the sink today", 7000L), (seenByHustler.Str("title"), seenByHustler.GetProperty("amount").GetInt64()));
    }

    [Fact]
    public async Task A_scheduled_job_takes_edits_that_leave_the_price_alone()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var (jobId, _) = await Api.ScheduledFlatJobAsync(customer, hustler);
        var when = app.Clock.GetUtcNow().AddDays(2);

        var edited = await (await Patch(customer, jobId, new { title = "Fix the sink (bring a wrench)", location = "125 Valencia St", scheduledFor = when })).Json();

        Assert.Equal(("SCHEDULED", "Fix the sink (bring a wrench)", "125 Valencia St", 5000L), (edited.Str("status"), edited.Str("title"), edited.Str("location"), edited.GetProperty("amount").GetInt64()));
        var told = Assert.Single(await hustler.EventsAsync(jobId, "JOB_UPDATED")).GetProperty("data");
        Assert.Equal(["title", "location", "scheduledFor"], told.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        await using var db = app.Db();
        var job = await db.Jobs.SingleAsync(j => j.Id == jobId);
        Assert.Equal(("125 Valencia St", (DateTimeOffset?)when, JobStatus.Scheduled), (job.Location, job.ScheduledFor, job.Status));
    }

    [Theory]
    [InlineData("FLAT", """{"amount": 6000}""")]
    [InlineData("FLAT", """{"title": "New title", "amount": 4000}""")]
    [InlineData("HOURLY", """{"hourlyRate": 5000}""")]
    [InlineData("HOURLY", """{"estimatedHours": 5}""")]
    public async Task A_price_edit_of_a_scheduled_job_gets_409_price_locked_and_changes_nothing(string pricing, string edit)
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var (jobId, _) = pricing == "FLAT" ? await Api.ScheduledFlatJobAsync(customer, hustler) : await Api.ScheduledHourlyJobAsync(customer, hustler);
        var before = await app.SnapshotAsync(jobId);

        var refused = await customer.SendRawAsync(HttpMethod.Patch, $"/api/jobs/{jobId}", edit);

        var problem = await refused.Problem(409, "price_locked");
        Assert.Contains("price proposal", problem.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(before, await app.SnapshotAsync(jobId));
    }

    [Theory]
    [InlineData("""{"title": "Too late"}""", "invalid_transition")]
    [InlineData("""{"location": "Elsewhere"}""", "invalid_transition")]
    [InlineData("""{"amount": 9000}""", "price_locked")]
    public async Task An_in_progress_job_takes_no_edit_at_all(string edit, string code)
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var (jobId, _) = await Api.ScheduledFlatJobAsync(customer, hustler);
        await Api.StartAsync(customer, hustler, jobId);
        var before = await app.SnapshotAsync(jobId);

        var refused = await customer.SendRawAsync(HttpMethod.Patch, $"/api/jobs/{jobId}", edit);

        await refused.Problem(409, code);
        Assert.Equal(before, await app.SnapshotAsync(jobId));
        Assert.Equal(JobStatus.InProgress, await app.StatusAsync(jobId));
    }

    [Fact]
    public async Task Nobody_but_the_owner_edits_a_job()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var browser = await app.CreateUserAsync("browser");
        var openJob = (await customer.PostFlatJobAsync()).Str("id");
        var (scheduledJob, _) = await Api.ScheduledFlatJobAsync(customer, hustler);
        var beforeOpen = await app.SnapshotAsync(openJob);
        var beforeScheduled = await app.SnapshotAsync(scheduledJob);

        await (await Patch(browser, openJob, new { title = "Mine now" })).Problem(409, "invalid_transition");
        await (await Patch(hustler, scheduledJob, new { title = "Mine now" })).Problem(409, "invalid_transition");

        Assert.Equal(beforeOpen, await app.SnapshotAsync(openJob));
        Assert.Equal(beforeScheduled, await app.SnapshotAsync(scheduledJob));
    }

    private static Task<HttpResponseMessage> Patch(TestUser user, string jobId, object body) =>
        user.Client.PatchAsJsonAsync($"/api/jobs/{jobId}", body);
}
