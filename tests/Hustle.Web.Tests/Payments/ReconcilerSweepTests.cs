using Hustle.Web.Payments;
using Hustle.Web.Payments.Simulated;
using Hustle.Web.Tests.Lifecycle;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Payments;

/// <summary>What a reconciler sweep does with money it finds unsettled, and what it leaves alone.</summary>
public sealed class ReconcilerSweepTests() : LifecycleTest(new ScriptedGatewayApp())
{
    private ScriptedGateway Gateway => ((ScriptedGatewayApp)App).Gateway;

    [Fact]
    public async Task A_capture_that_went_through_for_a_job_cancelled_meanwhile_is_refunded_by_the_next_sweep()
    {
        var jobId = await FinishedFlatJobAsync(5000);
        await (await Customer.PostAsync($"/api/jobs/{jobId}/dispute")).Json();
        Gateway.LoseNextAnswer("capture");
        await (await Customer.ConfirmAsync(jobId)).Problem(503, "payment_unavailable");
        var op = await App.CreateOperatorAsync();
        Assert.Equal("CANCELLED", (await (await op.PostAsync($"/api/jobs/{jobId}/resolve-cancel")).Json()).Str("status"));

        App.Clock.Advance(PaymentReconciler.Grace + TimeSpan.FromSeconds(1));
        await App.Sweeper.ReconcilePaymentsAsync(CancellationToken.None);

        await using var db = App.Db();
        var hold = await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId);
        Assert.Equal((SimulatedHoldStatus.Captured, 5000L, 5000L), (hold.Status, hold.Captured, hold.Refunded));
        Assert.Equal(PaymentCallState.Succeeded, (await db.Set<PaymentCall>().AsNoTracking().SingleAsync(c => c.JobId == jobId && c.Operation == "refund")).State);
        await MoneyInvariants.AssertMoneyInvariantsAsync(App);
    }

    [Fact]
    public async Task Sweeps_while_the_provider_is_down_do_not_touch_the_job_of_an_orphaned_hold_again_and_again()
    {
        var job = await Customer.PostFlatJobAsync(5000);
        var jobId = job.Str("id");
        var offer = await Hustler.OfferAsync(jobId);

        // The hold is taken, then another change commits first and the provider goes down before the hold is voided.
        Gateway.BeforeNextAnswer("authorize", async () =>
        {
            await using var db = App.Db();
            await db.Jobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(u => u.SetProperty(j => j.Version, j => j.Version + 1));
            Gateway.Unreachable = true;
        });
        Assert.False((await Customer.PostAsync($"/api/offers/{offer.Str("id")}/accept")).IsSuccessStatusCode);

        App.Clock.Advance(PaymentReconciler.Grace + TimeSpan.FromSeconds(1));
        await App.Sweeper.ReconcilePaymentsAsync(CancellationToken.None);
        var afterFirst = await App.SnapshotAsync(jobId);
        await App.Sweeper.ReconcilePaymentsAsync(CancellationToken.None);
        await App.Sweeper.ReconcilePaymentsAsync(CancellationToken.None);

        Assert.Equal(afterFirst, await App.SnapshotAsync(jobId));
        await using (var db = App.Db())
        {
            Assert.Equal(SimulatedHoldStatus.RequiresCapture, (await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId)).Status);
        }

        // Once the provider answers again, the orphan is voided.
        Gateway.Unreachable = false;
        await App.Sweeper.ReconcilePaymentsAsync(CancellationToken.None);
        await using (var db = App.Db())
        {
            Assert.Equal(SimulatedHoldStatus.Canceled, (await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId)).Status);
        }

        await MoneyInvariants.AssertMoneyInvariantsAsync(App);
    }
}
