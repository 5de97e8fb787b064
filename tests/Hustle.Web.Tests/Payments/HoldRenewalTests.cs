using Hustle.Domain.Jobs;
using Hustle.Web.Payments;
using Hustle.Web.Payments.Simulated;
using Hustle.Web.Tests.Lifecycle;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Payments;

/// <summary>Hustle with holds that lapse after two days, so a job scheduled a few days out outlives its hold.</summary>
public sealed class ShortHoldApp : TestApp
{
    public static readonly TimeSpan HoldLifetime = TimeSpan.FromDays(2);

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Hustle:Payments:Simulated:HoldLifetime"] = "2.00:00:00",
    };
}

public sealed class HoldRenewalTests() : LifecycleTest(new ShortHoldApp())
{
    [Fact]
    public async Task A_hold_that_would_lapse_before_the_job_starts_is_renewed_in_time_and_the_job_is_still_paid()
    {
        var (jobId, _) = await Api.ScheduledFlatJobAsync(Customer, Hustler, amount: 5000);
        var first = await PaymentAsync(jobId);
        Assert.Equal(App.Clock.GetUtcNow() + ShortHoldApp.HoldLifetime, first.HoldExpiresAt);

        // More than a day before the lapse: nothing to do yet.
        App.Clock.Advance(TimeSpan.FromHours(20));
        await App.Sweeper.RenewHoldsAsync(CancellationToken.None);
        Assert.Equal(first.HoldId, (await PaymentAsync(jobId)).HoldId);

        App.Clock.Advance(TimeSpan.FromHours(5));
        await App.Sweeper.RenewHoldsAsync(CancellationToken.None);

        var renewed = await PaymentAsync(jobId);
        Assert.NotEqual(first.HoldId, renewed.HoldId);
        Assert.Equal((5000L, App.Clock.GetUtcNow() + ShortHoldApp.HoldLifetime), (renewed.AuthorizedAmount, renewed.HoldExpiresAt));
        var job = await Customer.GetJobAsync(jobId);
        Assert.Equal(("SCHEDULED", "AUTHORIZED", 5000L), (job.Str("status"), job.Str("paymentStatus"), job.Long("authorizedAmount")));
        foreach (var party in new[] { Customer, Hustler })
        {
            var told = (await party.FeedAsync(jobId)).Single(e => e.Str("type") == "PAYMENT_UPDATED").GetProperty("data");
            Assert.Equal(("AUTHORIZED", 5000L), (told.Str("paymentStatus"), told.Long("authorizedAmount")));
        }

        Assert.Equal(("REAUTHORIZE_PAYMENT", "system"), ((await Customer.HistoryAsync(jobId))[^1].Str("action"), (await Customer.HistoryAsync(jobId))[^1].Str("actor")));
        await using (var db = App.Db())
        {
            var holds = await db.Set<SimulatedHold>().AsNoTracking().Where(h => h.JobId == jobId).ToDictionaryAsync(h => h.Id);
            Assert.Equal(SimulatedHoldStatus.Canceled, holds[first.HoldId!].Status);
            Assert.Equal(SimulatedHoldStatus.RequiresCapture, holds[renewed.HoldId!].Status);
        }

        // Run the sweep twice more in the same hour: the fresh hold is left alone.
        await App.Sweeper.RenewHoldsAsync(CancellationToken.None);
        await App.Sweeper.RenewHoldsAsync(CancellationToken.None);
        Assert.Equal(renewed.HoldId, (await PaymentAsync(jobId)).HoldId);

        // Four days after the accept, twice the hold's lifetime, the work is done and paid from the renewed hold.
        App.Clock.Advance(TimeSpan.FromDays(1));
        await App.Sweeper.RenewHoldsAsync(CancellationToken.None);
        App.Clock.Advance(TimeSpan.FromDays(1));
        await Api.StartAsync(Customer, Hustler, jobId);
        await Api.CompleteAsync(Customer, Hustler, jobId);
        Assert.Equal("PAID", (await (await Customer.ConfirmAsync(jobId)).Json()).Str("status"));
        await using (var db = App.Db())
        {
            Assert.Equal(3, await db.Set<SimulatedHold>().CountAsync(h => h.JobId == jobId));
            var captured = await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId && h.Status == SimulatedHoldStatus.Captured);
            Assert.Equal(5000, captured.Captured);
        }
    }

    [Fact]
    public async Task A_renewal_the_card_declines_is_recorded_and_told_to_both_parties_not_swallowed()
    {
        var (jobId, _) = await Api.ScheduledFlatJobAsync(Customer, Hustler, amount: 5000);
        var first = await PaymentAsync(jobId);
        await Customer.SetPaymentMethodAsync(SimulatedGateway.ChargeDeclined);

        App.Clock.Advance(TimeSpan.FromHours(25));
        await App.Sweeper.RenewHoldsAsync(CancellationToken.None);

        var job = await Hustler.GetJobAsync(jobId);
        Assert.Equal(("SCHEDULED", "AUTHORIZATION_FAILED"), (job.Str("status"), job.Str("paymentStatus")));
        foreach (var party in new[] { Customer, Hustler })
        {
            var told = (await party.FeedAsync(jobId)).Single(e => e.Str("type") == "PAYMENT_FAILED").GetProperty("data");
            Assert.Equal("AUTHORIZATION_FAILED", told.Str("paymentStatus"));
            Assert.False(string.IsNullOrEmpty(told.Str("reason")));
        }

        Assert.Equal("REAUTHORIZE_PAYMENT", (await Customer.HistoryAsync(jobId))[^1].Str("action"));
        await using (var db = App.Db())
        {
            Assert.Equal(first.HoldId, (await PaymentAsync(jobId)).HoldId);
            Assert.Equal(SimulatedHoldStatus.RequiresCapture, (await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId)).Status);
            Assert.Equal(PaymentCallState.Declined, (await db.Set<PaymentCall>().AsNoTracking().SingleAsync(c => c.JobId == jobId && c.Operation == "reauthorize")).State);
        }

        // The failure is not retried into a storm of declines.
        await App.Sweeper.RenewHoldsAsync(CancellationToken.None);
        await using (var db = App.Db())
        {
            Assert.Equal(1, await db.Set<PaymentCall>().CountAsync(c => c.JobId == jobId && c.Operation == "reauthorize"));
        }

        // The old hold lapses; with a working card on file, the customer's confirmation holds anew and is paid.
        await Customer.SetPaymentMethodAsync(SimulatedGateway.Visa);
        App.Clock.Advance(TimeSpan.FromDays(1));
        await Api.StartAsync(Customer, Hustler, jobId);
        await Api.CompleteAsync(Customer, Hustler, jobId);
        Assert.Equal("PAID", (await (await Customer.ConfirmAsync(jobId)).Json()).Str("status"));
        Assert.Equal(JobStatus.Paid, await App.StatusAsync(jobId));
    }

    [Fact]
    public async Task A_declined_renewal_is_tried_again_once_the_customer_saves_another_card()
    {
        var (jobId, _) = await Api.ScheduledFlatJobAsync(Customer, Hustler, amount: 5000);
        var first = await PaymentAsync(jobId);
        await Customer.SetPaymentMethodAsync(SimulatedGateway.ChargeDeclined);
        App.Clock.Advance(TimeSpan.FromHours(25));
        await App.Sweeper.RenewHoldsAsync(CancellationToken.None);
        Assert.Equal("AUTHORIZATION_FAILED", (await Customer.GetJobAsync(jobId)).Str("paymentStatus"));

        await Customer.SetPaymentMethodAsync(SimulatedGateway.Visa);
        await App.Sweeper.RenewHoldsAsync(CancellationToken.None);

        var job = await Customer.GetJobAsync(jobId);
        Assert.Equal(("SCHEDULED", "AUTHORIZED", 5000L), (job.Str("status"), job.Str("paymentStatus"), job.Long("authorizedAmount")));
        var renewed = await PaymentAsync(jobId);
        Assert.NotEqual(first.HoldId, renewed.HoldId);
        Assert.Equal((SimulatedGateway.Visa, App.Clock.GetUtcNow() + ShortHoldApp.HoldLifetime), (renewed.PaymentMethod, renewed.HoldExpiresAt));
        await MoneyInvariants.AssertMoneyInvariantsAsync(App);

        // Renewed on the new card, the job is not renewed again by the next sweep.
        await App.Sweeper.RenewHoldsAsync(CancellationToken.None);
        Assert.Equal(renewed.HoldId, (await PaymentAsync(jobId)).HoldId);
    }

    [Fact]
    public async Task A_confirmation_after_the_hold_lapsed_holds_anew_on_the_card_on_file_and_captures_once()
    {
        var jobId = await FinishedFlatJobAsync(5000);
        await (await Customer.PostAsync($"/api/jobs/{jobId}/dispute", new { reason = "Checking" })).Json();
        App.Clock.Advance(TimeSpan.FromDays(3));

        var paid = await (await Customer.ConfirmAsync(jobId)).Json();

        Assert.Equal(("PAID", 5000L), (paid.Str("status"), paid.Long("finalAmount")));
        await using var db = App.Db();
        var holds = await db.Set<SimulatedHold>().AsNoTracking().Where(h => h.JobId == jobId).ToListAsync();
        Assert.Equal(2, holds.Count);
        Assert.Equal(5000, Assert.Single(holds, h => h.Status == SimulatedHoldStatus.Captured).Captured);
    }

    private async Task<Payment> PaymentAsync(string jobId)
    {
        await using var db = App.Db();
        return await db.Set<Payment>().AsNoTracking().SingleAsync(p => p.JobId == jobId);
    }
}
