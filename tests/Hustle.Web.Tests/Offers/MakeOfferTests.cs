using Hustle.Domain.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Offers;

public class MakeOfferTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task An_offer_moves_an_open_job_to_REQUESTED_and_tells_the_customer()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var jobId = (await customer.PostFlatJobAsync()).Str("id");

        var offer = await hustler.OfferAsync(jobId, proposedAmount: 4800, message: "  Can come today  ");

        Assert.Equal(("PENDING", 4800L, "Can come today"), (offer.Str("status"), offer.GetProperty("proposedAmount").GetInt64(), offer.Str("message")));
        Assert.Equal(JobStatus.Requested, await app.StatusAsync(jobId));
        var received = Assert.Single(await customer.EventsAsync(jobId, "OFFER_RECEIVED")).GetProperty("data");
        Assert.Equal((offer.Str("id"), hustler.Id, "REQUESTED"), (received.Str("offerId"), received.Str("hustlerId"), received.Str("status")));
        await using var db = app.Db();
        var stored = await db.Offers.SingleAsync(o => o.Id == offer.Str("id"));
        Assert.Equal((jobId, hustler.Id, (long?)4800, OfferStatus.Pending), (stored.JobId, stored.HustlerId, stored.ProposedAmount, stored.Status));
    }

    [Fact]
    public async Task A_customer_cannot_offer_on_their_own_job_and_nothing_is_stored()
    {
        var customer = await app.CreateUserAsync("customer");
        var jobId = (await customer.PostFlatJobAsync()).Str("id");
        var before = await app.SnapshotAsync(jobId);

        var own = await customer.PostAsync($"/api/jobs/{jobId}/offers", new { message = "I'll do it myself" });

        await own.Problem(409, "invalid_transition");
        Assert.Equal(before, await app.SnapshotAsync(jobId));
        Assert.Equal(JobStatus.Open, await app.StatusAsync(jobId));
    }

    [Fact]
    public async Task A_hustler_with_a_pending_offer_cannot_make_a_second_one()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var jobId = (await customer.PostFlatJobAsync()).Str("id");
        await hustler.OfferAsync(jobId);
        var before = await app.SnapshotAsync(jobId);

        var duplicate = await hustler.PostAsync($"/api/jobs/{jobId}/offers", new { proposedAmount = 4000 });

        await duplicate.Problem(409, "invalid_transition");
        Assert.Equal(before, await app.SnapshotAsync(jobId));
        await using var db = app.Db();
        Assert.Single(await db.Offers.Where(o => o.JobId == jobId).ToListAsync());
    }

    [Fact]
    public async Task A_hustler_whose_offer_was_withdrawn_may_offer_again()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var jobId = (await customer.PostFlatJobAsync()).Str("id");
        var first = await hustler.OfferAsync(jobId);
        await (await hustler.PostAsync($"/api/offers/{first.Str("id")}/withdraw")).Json();

        var second = await hustler.OfferAsync(jobId, proposedAmount: 4000);

        Assert.NotEqual(first.Str("id"), second.Str("id"));
        await using var db = app.Db();
        var stored = (await db.Offers.Where(o => o.JobId == jobId).ToListAsync()).ToDictionary(o => o.Id, o => o.Status);
        Assert.Equal(new Dictionary<string, OfferStatus> { [first.Str("id")] = OfferStatus.Withdrawn, [second.Str("id")] = OfferStatus.Pending }, stored);
        Assert.Equal(JobStatus.Requested, await app.StatusAsync(jobId));
    }
}
