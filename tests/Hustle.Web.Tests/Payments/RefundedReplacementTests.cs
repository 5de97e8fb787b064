using Hustle.Domain.Jobs;
using Hustle.Web.Payments.Simulated;
using Hustle.Web.Tests.Lifecycle;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Payments;

/// <summary>
/// Auto-confirm finds the hold lapsed, holds anew (the provider voids the old hold) and captures the new hold; before
/// that commits, the customer disputes, so the capture is refunded. The new hold never made it to the record, yet it
/// is spent: a confirmation holding anew with the same key gets it back from the provider, and its capture with the
/// same key is the refunded one, answered as a success. Neither a later confirmation nor one racing the refund may
/// record that capture as kept (PostgreSQL's random lifecycle found both: "the provider refunded ... of the paid capture").
/// </summary>
public sealed class RefundedReplacementTests() : LifecycleTest(new ScriptedGatewayApp())
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private ScriptedGateway Gateway => ((ScriptedGatewayApp)App).Gateway;

    [Fact]
    public async Task A_confirm_after_a_refunded_capture_of_a_new_hold_takes_the_money_anew_instead_of_replaying_it()
    {
        var jobId = await FinishedFlatJobAsync(5000);
        App.Clock.Advance(TimeSpan.FromDays(8));
        Gateway.BeforeNextAnswer("capture", () => DisputeAsync(jobId));

        await App.Sweeper.AutoConfirmAsync(CancellationToken.None);
        await AssertRefundedAndUnpaidAsync(jobId);

        var paid = await (await Customer.ConfirmAsync(jobId)).Json();

        Assert.Equal(("PAID", "CAPTURED"), (paid.Str("status"), paid.Str("paymentStatus")));
        Assert.Equal(5000, await KeptAsync(jobId));
        await MoneyInvariants.AssertMoneyInvariantsAsync(App);
    }

    [Fact]
    public async Task A_confirm_that_captured_the_same_hold_and_lost_to_the_refund_is_not_recorded_as_paid()
    {
        var jobId = await FinishedFlatJobAsync(5000);
        App.Clock.Advance(TimeSpan.FromDays(8));
        var captured = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<HttpResponseMessage>? racing = null;

        // Auto-confirm has captured the new hold: the customer disputes, then confirms. The confirmation holds anew
        // with auto-confirm's key (the same new hold) and captures it with the same key; it gets its answer only
        // after auto-confirm lost to the dispute and refunded that capture.
        Gateway.BeforeNextAnswer("capture", async () =>
        {
            await DisputeAsync(jobId);
            Gateway.BeforeNextAnswer("capture", async () =>
            {
                captured.SetResult();
                await release.Task.WaitAsync(Patience);
            });
            racing = Task.Run(() => Customer.ConfirmAsync(jobId));
            await captured.Task.WaitAsync(Patience);
        });

        await App.Sweeper.AutoConfirmAsync(CancellationToken.None);
        await AssertRefundedAndUnpaidAsync(jobId);
        var before = await App.SnapshotAsync(jobId);
        release.SetResult();

        await (await racing!.WaitAsync(Patience)).Problem(409, "concurrency_conflict");
        Assert.Equal(before, await App.SnapshotAsync(jobId));
        await AssertRefundedAndUnpaidAsync(jobId);

        var paid = await (await Customer.ConfirmAsync(jobId)).Json();
        Assert.Equal(("PAID", "CAPTURED"), (paid.Str("status"), paid.Str("paymentStatus")));
        Assert.Equal(5000, await KeptAsync(jobId));
        await MoneyInvariants.AssertMoneyInvariantsAsync(App);
    }

    private async Task DisputeAsync(string jobId) =>
        await (await Customer.PostAsync($"/api/jobs/{jobId}/dispute", new { reason = "Not finished" })).Json();

    /// <summary>The job waits for the customer, and the provider kept nothing of the capture: it was given back in full.</summary>
    private async Task AssertRefundedAndUnpaidAsync(string jobId)
    {
        await using var db = App.Db();
        var job = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId);
        Assert.Equal((JobStatus.AwaitingCustomerConfirm, PaymentStatus.Refunded), (job.Status, job.PaymentStatus));
        var captured = await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId && h.Captured > 0);
        Assert.Equal((5000L, 5000L), (captured.Captured, captured.Refunded));
        Assert.Equal(0, await KeptAsync(jobId));
    }

    /// <summary>What the provider took for the job and did not give back.</summary>
    private async Task<long> KeptAsync(string jobId)
    {
        await using var db = App.Db();
        return (await db.Set<SimulatedHold>().AsNoTracking().Where(h => h.JobId == jobId).ToListAsync()).Sum(h => h.Captured - h.Refunded);
    }
}
