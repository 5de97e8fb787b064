using Hustle.Domain.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Offers;

public class AnswerOfferTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task Withdrawing_the_last_pending_offer_sends_the_job_back_to_OPEN()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var jobId = (await customer.PostFlatJobAsync()).Str("id");
        var offerId = (await hustler.OfferAsync(jobId)).Str("id");

        var withdrawn = await (await hustler.PostAsync($"/api/offers/{offerId}/withdraw")).Json();

        Assert.Equal((offerId, "WITHDRAWN"), (withdrawn.Str("id"), withdrawn.Str("status")));
        Assert.Equal("OPEN", (await customer.GetJobAsync(jobId)).Str("status"));
        await using var db = app.Db();
        Assert.Equal(OfferStatus.Withdrawn, (await db.Offers.SingleAsync(o => o.Id == offerId)).Status);
        var line = await db.JobHistory.Where(h => h.JobId == jobId).OrderBy(h => h.Id).LastAsync();
        Assert.Equal(("WITHDRAW_OFFER", hustler.Id, "REQUESTED", "OPEN"), (line.Action, line.Actor, line.From, line.To));
        Assert.Single(await customer.EventsAsync(jobId, "OFFER_WITHDRAWN"));
    }

    [Fact]
    public async Task Withdrawing_one_of_two_offers_keeps_the_job_REQUESTED()
    {
        var customer = await app.CreateUserAsync("customer");
        var first = await app.CreateUserAsync("hustler");
        var second = await app.CreateUserAsync("hustler");
        var jobId = (await customer.PostFlatJobAsync()).Str("id");
        var offerId = (await first.OfferAsync(jobId)).Str("id");
        await second.OfferAsync(jobId);

        await (await first.PostAsync($"/api/offers/{offerId}/withdraw")).Json();

        var job = await customer.GetJobAsync(jobId);
        Assert.Equal(("REQUESTED", 1), (job.Str("status"), job.GetProperty("pendingOffers").GetInt32()));
    }

    [Fact]
    public async Task The_customer_declines_an_offer_with_a_reason_and_its_hustler_is_told()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var jobId = (await customer.PostFlatJobAsync()).Str("id");
        var offerId = (await hustler.OfferAsync(jobId)).Str("id");

        var declined = await (await customer.PostAsync($"/api/offers/{offerId}/decline", new { reason = "Too far away" })).Json();

        Assert.Equal("DECLINED", declined.Str("status"));
        Assert.Equal(JobStatus.Open, await app.StatusAsync(jobId));
        var told = Assert.Single(await hustler.EventsAsync(jobId, "OFFER_DECLINED")).GetProperty("data");
        Assert.Equal((offerId, "DECLINED"), (told.Str("offerId"), told.Str("offerStatus")));
        await using var db = app.Db();
        var line = await db.JobHistory.Where(h => h.JobId == jobId).OrderBy(h => h.Id).LastAsync();
        Assert.Equal(("DECLINE_OFFER", customer.Id, "REQUESTED", "OPEN", "Too far away"), (line.Action, line.Actor, line.From, line.To, line.Reason));
    }

    [Fact]
    public async Task Only_the_offers_hustler_withdraws_it_and_only_the_customer_declines_it()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var jobId = (await customer.PostFlatJobAsync()).Str("id");
        var offerId = (await hustler.OfferAsync(jobId)).Str("id");
        var before = await app.SnapshotAsync(jobId);

        await (await customer.PostAsync($"/api/offers/{offerId}/withdraw")).Problem(409, "invalid_transition");
        await (await hustler.PostAsync($"/api/offers/{offerId}/decline")).Problem(409, "invalid_transition");

        Assert.Equal(before, await app.SnapshotAsync(jobId));
    }

    [Fact]
    public async Task The_customer_sees_every_offer_and_a_hustler_only_their_own()
    {
        var customer = await app.CreateUserAsync("customer");
        var first = await app.CreateUserAsync("hustler");
        var second = await app.CreateUserAsync("hustler");
        var jobId = (await customer.PostFlatJobAsync()).Str("id");
        var firstOffer = (await first.OfferAsync(jobId)).Str("id");
        var secondOffer = (await second.OfferAsync(jobId)).Str("id");

        var all = await (await customer.Client.GetAsync($"/api/jobs/{jobId}/offers")).Json();
        var own = await (await second.Client.GetAsync($"/api/jobs/{jobId}/offers")).Json();

        Assert.Equal(new[] { firstOffer, secondOffer }.Order(StringComparer.Ordinal), all.EnumerateArray().Select(o => o.Str("id")).Order(StringComparer.Ordinal));
        Assert.Equal([secondOffer], own.EnumerateArray().Select(o => o.Str("id")));
    }
}
