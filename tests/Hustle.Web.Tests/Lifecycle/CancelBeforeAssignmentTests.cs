using Hustle.Domain.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Lifecycle;

/// <summary>Cancel: only OPEN or REQUESTED jobs, only by their customer; pending offers are declined.</summary>
public class CancelBeforeAssignmentTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task The_customer_cancels_a_requested_job_and_every_pending_offer_is_declined_and_told()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var jobId = (await customer.PostFlatJobAsync()).Str("id");
        var offerId = (await hustler.OfferAsync(jobId)).Str("id");

        var cancelled = await (await customer.PostAsync($"/api/jobs/{jobId}/cancel", new { reason = "Fixed it myself" })).Json();

        Assert.Equal("CANCELLED", cancelled.Str("status"));
        await using var db = app.Db();
        Assert.Equal(OfferStatus.Declined, (await db.Offers.SingleAsync(o => o.Id == offerId)).Status);
        var told = Assert.Single(await hustler.EventsAsync(jobId, "JOB_CANCELLED")).GetProperty("data");
        Assert.Equal("Fixed it myself", told.Str("reason"));
        var line = await db.JobHistory.Where(h => h.JobId == jobId).OrderBy(h => h.Id).LastAsync();
        Assert.Equal(("CANCEL", "REQUESTED", "CANCELLED", "Fixed it myself"), (line.Action, line.From, line.To, line.Reason));
    }

    [Fact]
    public async Task A_scheduled_job_cannot_be_cancelled_and_a_hustler_cannot_cancel_an_open_one()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var (scheduled, _) = await Api.ScheduledFlatJobAsync(customer, hustler);
        var open = (await customer.PostFlatJobAsync()).Str("id");
        var beforeScheduled = await app.SnapshotAsync(scheduled);
        var beforeOpen = await app.SnapshotAsync(open);

        await (await customer.PostAsync($"/api/jobs/{scheduled}/cancel")).Problem(409, "invalid_transition");
        await (await hustler.PostAsync($"/api/jobs/{open}/cancel")).Problem(409, "invalid_transition");

        Assert.Equal(beforeScheduled, await app.SnapshotAsync(scheduled));
        Assert.Equal(beforeOpen, await app.SnapshotAsync(open));
    }
}
