using System.Net;
using Hustle.Web.Payments;
using Hustle.Web.Payments.Simulated;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Lifecycle;

public sealed class AcceptPaymentTests : LifecycleTest
{
    [Fact]
    public async Task Declined_card_at_accept_answers_402_and_leaves_job_offers_and_money_untouched()
    {
        await Customer.SetPaymentMethodAsync(SimulatedGateway.ChargeDeclined);
        var job = await Customer.PostFlatJobAsync(5000);
        var jobId = job.Str("id");
        var offer = await Hustler.OfferAsync(jobId, 5500);
        var other = await (await NewHustlerAsync()).OfferAsync(jobId);
        var before = await App.SnapshotAsync(jobId);

        await (await Customer.PostAsync($"/api/offers/{offer.Str("id")}/accept")).Problem(402, "payment_declined");

        Assert.Equal(before, await App.SnapshotAsync(jobId));
        var view = await Customer.GetJobAsync(jobId);
        Assert.Equal(("REQUESTED", "NONE"), (view.Str("status"), view.Str("paymentStatus")));
        Assert.All((await (await Customer.Client.GetAsync($"/api/jobs/{jobId}/offers")).Json()).EnumerateArray(), o => Assert.Equal("PENDING", o.Str("status")));
        await using var db = App.Db();
        Assert.False(await db.Set<SimulatedHold>().AnyAsync(h => h.JobId == jobId));
        Assert.Equal(PaymentCallState.Declined, (await db.Set<PaymentCall>().SingleAsync(c => c.JobId == jobId)).State);
        Assert.DoesNotContain(await Hustler.FeedAsync(jobId), e => e.Str("type") == "JOB_ASSIGNED");

        // With a working card the same offer can be accepted.
        await Customer.SetPaymentMethodAsync(SimulatedGateway.Visa);
        var scheduled = await Customer.AcceptAsync(offer.Str("id"));
        Assert.Equal(("SCHEDULED", 5500L), (scheduled.Str("status"), scheduled.Long("authorizedAmount")));
        Assert.Equal("DECLINED", (await (await Customer.Client.GetAsync($"/api/jobs/{jobId}/offers")).Json()).EnumerateArray().Single(o => o.Str("id") == other.Str("id")).Str("status"));
    }

    [Fact]
    public async Task Accept_replayed_with_the_same_Idempotency_Key_returns_the_first_answer_and_authorizes_once()
    {
        var job = await Customer.PostFlatJobAsync(5000);
        var offer = await Hustler.OfferAsync(job.Str("id"));
        var path = $"/api/offers/{offer.Str("id")}/accept";

        var first = await Steps.Send(Customer, path, null, "accept-1");
        var replay = await Steps.Send(Customer, path, null, "accept-1");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        await (await Steps.Send(Customer, path, null, "accept-2")).Problem(409, "invalid_transition");
        await using var db = App.Db();
        var hold = await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == job.Str("id"));
        Assert.Equal((SimulatedHoldStatus.RequiresCapture, 5000L), (hold.Status, hold.Amount));
        Assert.Equal(1, await db.Set<PaymentCall>().CountAsync(c => c.JobId == job.Str("id") && c.Operation == "authorize"));
    }

    [Fact]
    public async Task Two_racing_accepts_of_different_offers_schedule_one_hustler_and_void_the_losing_hold()
    {
        var job = await Customer.PostFlatJobAsync(5000);
        var jobId = job.Str("id");
        var offers = new[] { await Hustler.OfferAsync(jobId, 5000), await (await NewHustlerAsync()).OfferAsync(jobId, 5200) };

        var answers = await Task.WhenAll(offers.Select(o => Task.Run(() => Customer.PostAsync($"/api/offers/{o.Str("id")}/accept"))));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Conflict);
        await using var db = App.Db();
        var holds = await db.Set<SimulatedHold>().AsNoTracking().Where(h => h.JobId == jobId).ToListAsync();
        var live = Assert.Single(holds, h => h.Status == SimulatedHoldStatus.RequiresCapture);
        Assert.Equal(live.Id, (await db.Set<Payment>().AsNoTracking().SingleAsync(p => p.JobId == jobId)).HoldId);
        Assert.All(holds.Where(h => h != live), h => Assert.Equal(SimulatedHoldStatus.Canceled, h.Status));
    }
}
