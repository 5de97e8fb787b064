using Hustle.Domain.Jobs;
using Hustle.Web.Payments;
using Hustle.Web.Payments.Simulated;
using Hustle.Web.Tests.Lifecycle;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Payments;

/// <summary>
/// Auto-confirm captures the hold, and before that commits the customer disputes: the capture is refunded. That
/// hold is spent; a later confirmation must hold the money anew and capture that, never replay the refunded capture.
/// </summary>
public sealed class RefundedCaptureTests() : LifecycleTest(new ScriptedGatewayApp())
{
    private ScriptedGateway Gateway => ((ScriptedGatewayApp)App).Gateway;

    [Fact]
    public async Task A_confirm_after_a_refunded_capture_takes_the_money_again_instead_of_marking_the_job_paid_with_nothing_kept()
    {
        var jobId = await AutoConfirmRefundedAfterDisputeAsync();

        var paid = await (await Customer.ConfirmAsync(jobId)).Json();

        Assert.Equal(("PAID", "CAPTURED"), (paid.Str("status"), paid.Str("paymentStatus")));
        Assert.Equal(5000, await KeptAsync(jobId));
        await MoneyInvariants.AssertMoneyInvariantsAsync(App);
    }

    [Fact]
    public async Task A_confirm_on_a_new_hold_after_a_refunded_capture_uses_a_capture_key_of_that_hold_not_the_old_one()
    {
        var jobId = await AutoConfirmRefundedAfterDisputeAsync();
        App.Clock.Advance(TimeSpan.FromDays(8));

        // The old hold is long past its lapse: the confirmation holds anew, and that capture must not reuse the key
        // the refunded capture was made with (the provider would answer 422 idempotency_mismatch).
        var paid = await (await Customer.ConfirmAsync(jobId)).Json();

        Assert.Equal(("PAID", "CAPTURED"), (paid.Str("status"), paid.Str("paymentStatus")));
        Assert.Equal(5000, await KeptAsync(jobId));
        await MoneyInvariants.AssertMoneyInvariantsAsync(App);
        await using var db = App.Db();
        var keys = await db.Set<PaymentCall>().AsNoTracking().Where(c => c.JobId == jobId && c.Operation == "capture").Select(c => c.IdempotencyKey).ToListAsync();
        Assert.Equal(2, keys.Distinct().Count());
    }

    [Fact]
    public async Task A_paid_job_whose_capture_was_refunded_breaks_the_money_invariants()
    {
        var jobId = await FinishedFlatJobAsync(5000);
        await (await Customer.ConfirmAsync(jobId)).Json();
        await using (var db = App.Db())
        {
            await db.Set<SimulatedHold>().Where(h => h.JobId == jobId).ExecuteUpdateAsync(u => u.SetProperty(h => h.Refunded, 5000L));
        }

        var broken = await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() => MoneyInvariants.AssertMoneyInvariantsAsync(App));
        Assert.Contains("refunded 5000 of the paid capture", broken.Message);

        // Put back as it was, so the check every test ends with passes.
        await using (var db = App.Db())
        {
            await db.Set<SimulatedHold>().Where(h => h.JobId == jobId).ExecuteUpdateAsync(u => u.SetProperty(h => h.Refunded, 0L));
        }
    }

    private async Task<string> AutoConfirmRefundedAfterDisputeAsync()
    {
        var jobId = await FinishedFlatJobAsync(5000);
        App.Clock.Advance(TimeSpan.FromHours(73));
        Gateway.BeforeNextAnswer("capture", async () => await (await Customer.PostAsync($"/api/jobs/{jobId}/dispute", new { reason = "Not finished" })).Json());

        await App.Sweeper.AutoConfirmAsync(CancellationToken.None);

        Assert.Equal(JobStatus.AwaitingCustomerConfirm, await App.StatusAsync(jobId));
        await using var db = App.Db();
        var hold = await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId);
        Assert.Equal((SimulatedHoldStatus.Captured, 5000L, 5000L), (hold.Status, hold.Captured, hold.Refunded));
        return jobId;
    }

    /// <summary>What the provider took for the job and did not give back.</summary>
    private async Task<long> KeptAsync(string jobId)
    {
        await using var db = App.Db();
        return (await db.Set<SimulatedHold>().AsNoTracking().Where(h => h.JobId == jobId).ToListAsync()).Sum(h => h.Captured - h.Refunded);
    }
}
