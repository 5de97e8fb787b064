using System.Net.Http.Json;
using System.Text.Json;
using Hustle.Web.Payments;
using Hustle.Web.Payments.Simulated;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Lifecycle;

public sealed class PriceProposalTests : LifecycleTest
{
    [Fact]
    public async Task A_higher_price_on_a_card_that_allows_it_grows_the_same_hold_and_is_captured_in_full()
    {
        var (jobId, scheduled) = await Api.ScheduledFlatJobAsync(Customer, Hustler, amount: 5000);
        Assert.Equal(5000, scheduled.Long("authorizedAmount"));
        var holdBefore = await HoldIdAsync(jobId);

        var job = await AgreeOnAsync(jobId, proposer: Hustler, answerer: Customer, new { amount = 7250 });

        Assert.Equal((7250L, 7250L, "AUTHORIZED"), (job.Long("amount"), job.Long("authorizedAmount"), job.Str("paymentStatus")));
        var changed = (await Hustler.FeedAsync(jobId)).Single(e => e.Str("type") == "PRICE_CHANGED").GetProperty("data");
        Assert.True(changed.GetProperty("paymentIntentUpdated").GetBoolean());
        Assert.Equal(7250, changed.Long("newAmount"));
        await using (var db = App.Db())
        {
            var hold = await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId);
            Assert.Equal((holdBefore, 7250L, SimulatedHoldStatus.RequiresCapture), (hold.Id, hold.Amount, hold.Status));
        }

        Assert.Equal(7250, await PayAsync(jobId));
    }

    [Fact]
    public async Task A_higher_price_on_a_card_without_incremental_authorization_takes_a_new_hold_and_voids_the_old_one()
    {
        await Customer.SetPaymentMethodAsync(SimulatedGateway.NoIncremental);
        var (jobId, _) = await Api.ScheduledFlatJobAsync(Customer, Hustler, amount: 5000);
        var oldHold = await HoldIdAsync(jobId);

        var job = await AgreeOnAsync(jobId, proposer: Customer, answerer: Hustler, new { amount = 6000 });

        Assert.Equal((6000L, 6000L), (job.Long("amount"), job.Long("authorizedAmount")));
        Assert.True((await Customer.FeedAsync(jobId)).Single(e => e.Str("type") == "PRICE_CHANGED").GetProperty("data").GetProperty("paymentIntentUpdated").GetBoolean());
        var newHold = await HoldIdAsync(jobId);
        Assert.NotEqual(oldHold, newHold);
        await using (var db = App.Db())
        {
            var holds = await db.Set<SimulatedHold>().AsNoTracking().Where(h => h.JobId == jobId).ToDictionaryAsync(h => h.Id);
            Assert.Equal((SimulatedHoldStatus.Canceled, 5000L), (holds[oldHold].Status, holds[oldHold].Amount));
            Assert.Equal((SimulatedHoldStatus.RequiresCapture, 6000L), (holds[newHold].Status, holds[newHold].Amount));
            var increase = await db.Set<PaymentCall>().AsNoTracking().SingleAsync(c => c.JobId == jobId && c.Operation == "increase");
            Assert.Equal((newHold, oldHold), (increase.HoldId, increase.ReplacedHoldId));
        }

        Assert.Equal(6000, await PayAsync(jobId));
    }

    [Fact]
    public async Task A_lower_price_keeps_the_hold_and_captures_less()
    {
        var (jobId, _) = await Api.ScheduledFlatJobAsync(Customer, Hustler, amount: 5000);
        var hold = await HoldIdAsync(jobId);

        var job = await AgreeOnAsync(jobId, proposer: Customer, answerer: Hustler, new { amount = 3999 });

        Assert.Equal((3999L, 5000L), (job.Long("amount"), job.Long("authorizedAmount")));
        Assert.False((await Customer.FeedAsync(jobId)).Single(e => e.Str("type") == "PRICE_CHANGED").GetProperty("data").GetProperty("paymentIntentUpdated").GetBoolean());
        Assert.Equal(hold, await HoldIdAsync(jobId));
        await using (var db = App.Db())
        {
            Assert.DoesNotContain(await db.Set<PaymentCall>().Where(c => c.JobId == jobId).Select(c => c.Operation).ToListAsync(), o => o is "increase" or "reauthorize");
        }

        Assert.Equal(3999, await PayAsync(jobId));
        await using (var db = App.Db())
        {
            var stored = await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId);
            Assert.Equal((5000L, 3999L), (stored.Amount, stored.Captured));
        }
    }

    [Fact]
    public async Task A_higher_hourly_rate_grows_the_hold_to_rate_times_estimate()
    {
        var (jobId, _) = await Api.ScheduledHourlyJobAsync(Customer, Hustler, hourlyRate: 4000, estimatedHours: 2.5m);

        var job = await AgreeOnAsync(jobId, proposer: Hustler, answerer: Customer, new { hourlyRate = 4500 });

        Assert.Equal((4500L, 11250L), (job.Long("hourlyRate"), job.Long("authorizedAmount")));
        await Api.StartAsync(Customer, Hustler, jobId);
        App.Clock.Advance(TimeSpan.FromMinutes(61));
        await Api.CompleteAsync(Customer, Hustler, jobId);
        await (await Hustler.RequestPaymentAsync(jobId)).Json();
        Assert.Equal(5625, (await (await Customer.ConfirmAsync(jobId)).Json()).Long("finalAmount")); // 1 h 15 min at 45.00
    }

    [Fact]
    public async Task A_declined_proposal_changes_neither_price_nor_hold()
    {
        var (jobId, _) = await Api.ScheduledFlatJobAsync(Customer, Hustler, amount: 5000);
        var proposal = await (await Hustler.PostAsync($"/api/jobs/{jobId}/price-proposals", new { amount = 9000 })).Json(System.Net.HttpStatusCode.Created);
        await (await Hustler.PostAsync($"/api/price-proposals/{proposal.Str("id")}/accept")).Problem(409, "invalid_transition");

        var declined = await (await Customer.PostAsync($"/api/price-proposals/{proposal.Str("id")}/decline")).Json();

        Assert.Equal("DECLINED", declined.Str("status"));
        var job = await Customer.GetJobAsync(jobId);
        Assert.Equal((5000L, 5000L), (job.Long("amount"), job.Long("authorizedAmount")));
        Assert.Contains(await Hustler.FeedAsync(jobId), e => e.Str("type") == "PRICE_CHANGE_DECLINED");
        Assert.Equal(5000, await PayAsync(jobId));
    }

    [Fact]
    public async Task After_the_start_code_a_price_proposal_is_refused_as_price_locked_and_a_pending_one_cannot_be_accepted()
    {
        var (jobId, _) = await Api.ScheduledFlatJobAsync(Customer, Hustler, amount: 5000);
        var pending = await (await Hustler.PostAsync($"/api/jobs/{jobId}/price-proposals", new { amount = 8000 })).Json(System.Net.HttpStatusCode.Created);
        await Api.StartAsync(Customer, Hustler, jobId);
        var before = await App.SnapshotAsync(jobId);

        await (await Hustler.PostAsync($"/api/jobs/{jobId}/price-proposals", new { amount = 9000 })).Problem(409, "price_locked");
        await (await Customer.PostAsync($"/api/jobs/{jobId}/price-proposals", new { amount = 100 })).Problem(409, "price_locked");
        await (await Customer.PostAsync($"/api/price-proposals/{pending.Str("id")}/accept")).Problem(409, "invalid_transition");
        await (await Customer.Client.PatchAsJsonAsync($"/api/jobs/{jobId}", new { amount = 100 })).Problem(409, "price_locked");

        Assert.Equal(before, await App.SnapshotAsync(jobId));
        Assert.Equal(5000, await PayAsync(jobId));
    }

    private async Task<JsonElement> AgreeOnAsync(string jobId, TestUser proposer, TestUser answerer, object price)
    {
        var proposal = await (await proposer.PostAsync($"/api/jobs/{jobId}/price-proposals", price)).Json(System.Net.HttpStatusCode.Created);
        Assert.Equal("PENDING", proposal.Str("status"));
        Assert.Contains(await answerer.FeedAsync(jobId), e => e.Str("type") == "PRICE_CHANGE_PROPOSED");
        return await (await answerer.PostAsync($"/api/price-proposals/{proposal.Str("id")}/accept")).Json();
    }

    /// <summary>Works the job to the end and returns what the provider captured.</summary>
    private async Task<long> PayAsync(string jobId)
    {
        if ((await Customer.GetJobAsync(jobId)).Str("status") == "SCHEDULED")
        {
            await Api.StartAsync(Customer, Hustler, jobId);
        }

        await Api.CompleteAsync(Customer, Hustler, jobId);
        var paid = await (await Customer.ConfirmAsync(jobId)).Json();
        Assert.Equal("PAID", paid.Str("status"));
        await using var db = App.Db();
        var captured = await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId && h.Status == SimulatedHoldStatus.Captured);
        Assert.Equal(paid.Long("finalAmount"), captured.Captured);
        return captured.Captured;
    }

    private async Task<string> HoldIdAsync(string jobId)
    {
        await using var db = App.Db();
        return (await db.Set<Payment>().AsNoTracking().SingleAsync(p => p.JobId == jobId)).HoldId!;
    }
}
