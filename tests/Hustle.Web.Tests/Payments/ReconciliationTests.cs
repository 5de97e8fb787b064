using System.Net;
using Hustle.Domain.Jobs;
using Hustle.Web.Jobs;
using Hustle.Web.Payments;
using Hustle.Web.Payments.Simulated;
using Hustle.Web.Tests.Lifecycle;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hustle.Web.Tests.Payments;

public sealed class ReconciliationTests() : LifecycleTest(new ScriptedGatewayApp())
{
    private ScriptedGateway Gateway => ((ScriptedGatewayApp)App).Gateway;

    [Fact]
    public async Task A_hold_taken_at_accept_whose_answer_was_lost_is_voided_by_the_reconciler_with_the_same_key()
    {
        var job = await Customer.PostFlatJobAsync(5000);
        var jobId = job.Str("id");
        var offer = await Hustler.OfferAsync(jobId);
        Gateway.LoseNextAnswer("authorize");

        await (await Customer.PostAsync($"/api/offers/{offer.Str("id")}/accept")).Problem(503, "payment_unavailable");

        Assert.Equal(JobStatus.Requested, await App.StatusAsync(jobId));
        var (call, hold) = await AuthorizeCallAndHoldAsync(jobId);
        Assert.Equal(PaymentCallState.Started, call.State);
        Assert.Equal(SimulatedHoldStatus.RequiresCapture, hold.Status);

        // Within the grace the call may still be in flight: left alone.
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        await App.Sweeper.ReconcilePaymentsAsync(CancellationToken.None);
        Assert.Equal(PaymentCallState.Started, (await AuthorizeCallAndHoldAsync(jobId)).Call.State);

        App.Clock.Advance(TimeSpan.FromMinutes(2));
        await App.Sweeper.ReconcilePaymentsAsync(CancellationToken.None);

        (call, hold) = await AuthorizeCallAndHoldAsync(jobId);
        Assert.Equal(PaymentCallState.Compensated, call.State);
        Assert.Equal(hold.Id, call.HoldId);
        Assert.Equal(SimulatedHoldStatus.Canceled, hold.Status);
        await using (var db = App.Db())
        {
            // The repeat was answered from the provider's idempotency record: one hold, one key, no second authorization.
            Assert.Equal(1, await db.Set<SimulatedHold>().CountAsync(h => h.JobId == jobId));
            Assert.Equal(1, await db.Set<SimulatedIdempotencyKey>().CountAsync(k => k.Key == call.IdempotencyKey));
            var voided = await db.Set<PaymentCall>().AsNoTracking().SingleAsync(c => c.JobId == jobId && c.Operation == "void");
            Assert.Equal((PaymentCallState.Succeeded, hold.Id), (voided.State, voided.HoldId));
        }

        // Nothing was committed, so the job goes on as if the accept never happened, on a fresh hold (the provider
        // would replay the voided one for the old key).
        Assert.Equal(JobStatus.Requested, await App.StatusAsync(jobId));
        var scheduled = await Customer.AcceptAsync(offer.Str("id"));
        Assert.Equal("SCHEDULED", scheduled.Str("status"));
        await using (var db = App.Db())
        {
            var current = await db.Set<Payment>().AsNoTracking().SingleAsync(p => p.JobId == jobId);
            Assert.NotEqual(hold.Id, current.HoldId);
            Assert.Equal(SimulatedHoldStatus.RequiresCapture, (await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.Id == current.HoldId)).Status);
        }
    }

    [Fact]
    public async Task A_price_rise_on_a_new_hold_whose_answer_was_lost_leaves_the_job_a_live_hold_and_can_be_accepted_again()
    {
        await Customer.SetPaymentMethodAsync(SimulatedGateway.NoIncremental);
        var (jobId, _) = await Api.ScheduledFlatJobAsync(Customer, Hustler, amount: 5000);
        var proposal = await (await Hustler.PostAsync($"/api/jobs/{jobId}/price-proposals", new { amount = 6000 })).Json(HttpStatusCode.Created);
        Gateway.LoseNextAnswer("increase");

        await (await Customer.PostAsync($"/api/price-proposals/{proposal.Str("id")}/accept")).Problem(503, "payment_unavailable");
        App.Clock.Advance(TimeSpan.FromMinutes(3));
        await App.Sweeper.ReconcilePaymentsAsync(CancellationToken.None);

        // The provider replaced the hold before the answer was lost: the job must still have money held for it.
        var job = await Customer.GetJobAsync(jobId);
        Assert.Equal(("SCHEDULED", 5000L), (job.Str("status"), job.Long("amount")));
        await AssertLiveHoldCoversAsync(jobId, 5000);

        var accepted = await (await Customer.PostAsync($"/api/price-proposals/{proposal.Str("id")}/accept")).Json();
        Assert.Equal((6000L, 6000L), (accepted.Long("amount"), accepted.Long("authorizedAmount")));
        await AssertLiveHoldCoversAsync(jobId, 6000);
        await Api.StartAsync(Customer, Hustler, jobId);
        await Api.CompleteAsync(Customer, Hustler, jobId);
        Assert.Equal("PAID", (await (await Customer.ConfirmAsync(jobId)).Json()).Str("status"));
    }

    private async Task AssertLiveHoldCoversAsync(string jobId, long amount)
    {
        await using var db = App.Db();
        var payment = await db.Set<Payment>().AsNoTracking().SingleAsync(p => p.JobId == jobId);
        var hold = await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.Id == payment.HoldId);
        Assert.Equal(SimulatedHoldStatus.RequiresCapture, hold.Status);
        Assert.True(hold.Amount >= amount, $"hold {hold.Amount} < {amount}");
    }

    [Fact]
    public async Task A_retried_accept_after_a_lost_answer_reuses_the_same_hold_and_the_reconciler_keeps_it()
    {
        var job = await Customer.PostFlatJobAsync(5000);
        var jobId = job.Str("id");
        var offer = await Hustler.OfferAsync(jobId);
        Gateway.LoseNextAnswer("authorize");
        await (await Customer.PostAsync($"/api/offers/{offer.Str("id")}/accept")).Problem(503, "payment_unavailable");

        var scheduled = await Customer.AcceptAsync(offer.Str("id"));
        App.Clock.Advance(TimeSpan.FromMinutes(3));
        await App.Sweeper.ReconcilePaymentsAsync(CancellationToken.None);

        Assert.Equal("SCHEDULED", scheduled.Str("status"));
        await using var db = App.Db();
        var hold = await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId);
        Assert.Equal(SimulatedHoldStatus.RequiresCapture, hold.Status);
        Assert.Equal(hold.Id, (await db.Set<Payment>().AsNoTracking().SingleAsync(p => p.JobId == jobId)).HoldId);
        Assert.All(await db.Set<PaymentCall>().AsNoTracking().Where(c => c.JobId == jobId).ToListAsync(), c => Assert.Equal(PaymentCallState.Succeeded, c.State));
    }

    [Fact]
    public async Task A_capture_whose_answer_was_lost_is_completed_by_the_reconciler_and_the_money_moves_once()
    {
        var jobId = await FinishedFlatJobAsync(5000);
        Gateway.LoseNextAnswer("capture");

        await (await Customer.ConfirmAsync(jobId)).Problem(503, "payment_unavailable");

        Assert.Equal(JobStatus.AwaitingCustomerConfirm, await App.StatusAsync(jobId));
        await using (var db = App.Db())
        {
            var call = await db.Set<PaymentCall>().AsNoTracking().SingleAsync(c => c.JobId == jobId && c.Operation == "capture");
            Assert.Equal(PaymentCallState.Started, call.State);
            Assert.Equal(5000, (await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId)).Captured);
        }

        App.Clock.Advance(PaymentReconciler.Grace + TimeSpan.FromSeconds(1));
        await App.Sweeper.ReconcilePaymentsAsync(CancellationToken.None);

        var job = await Hustler.GetJobAsync(jobId);
        Assert.Equal(("PAID", "CAPTURED"), (job.Str("status"), job.Str("paymentStatus")));
        Assert.Single(await Hustler.FeedAsync(jobId), e => e.Str("type") == "PAYMENT_CAPTURED");
        await using (var db = App.Db())
        {
            var call = await db.Set<PaymentCall>().AsNoTracking().SingleAsync(c => c.JobId == jobId && c.Operation == "capture");
            Assert.Equal(PaymentCallState.Succeeded, call.State);
            Assert.Equal(1, await db.Set<SimulatedIdempotencyKey>().CountAsync(k => k.Key.StartsWith($"job/{jobId}/capture/")));
            var hold = await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId);
            Assert.Equal((SimulatedHoldStatus.Captured, 5000L), (hold.Status, hold.Captured));
            Assert.Equal(5000, (await db.Set<Payment>().AsNoTracking().SingleAsync(p => p.JobId == jobId)).CapturedAmount);
        }

        // A second sweep finds nothing left to do.
        var before = await App.SnapshotAsync(jobId);
        App.Clock.Advance(TimeSpan.FromMinutes(5));
        await App.Sweeper.ReconcilePaymentsAsync(CancellationToken.None);
        Assert.Equal(before, await App.SnapshotAsync(jobId));
    }

    [Fact]
    public async Task The_customer_confirming_again_after_a_lost_capture_answer_is_paid_without_a_second_capture()
    {
        var jobId = await FinishedFlatJobAsync(5000);
        Gateway.LoseNextAnswer("capture");
        await (await Customer.ConfirmAsync(jobId)).Problem(503, "payment_unavailable");

        var paid = await (await Customer.ConfirmAsync(jobId)).Json();
        App.Clock.Advance(TimeSpan.FromMinutes(3));
        await App.Sweeper.ReconcilePaymentsAsync(CancellationToken.None);

        Assert.Equal("PAID", paid.Str("status"));
        await using var db = App.Db();
        Assert.Equal(5000, (await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId)).Captured);
        Assert.Equal(1, await db.Set<SimulatedIdempotencyKey>().CountAsync(k => k.Key.StartsWith($"job/{jobId}/capture/")));
        Assert.Single(await Customer.FeedAsync(jobId), e => e.Str("type") == "PAYMENT_CAPTURED");
    }

    [Fact]
    public async Task A_hold_recorded_by_the_gateway_but_never_committed_is_voided_and_a_capture_never_committed_completes_the_payment()
    {
        // Two jobs whose process "died" right after a settled gateway call: one after authorizing, one after capturing.
        var posted = await Customer.PostFlatJobAsync(3000);
        var offer = await Hustler.OfferAsync(posted.Str("id"));
        var finished = await FinishedFlatJobAsync(5000);
        using (var scope = App.Services.CreateScope())
        {
            var payments = scope.ServiceProvider.GetRequiredService<JobPayments>();
            var jobs = scope.ServiceProvider.GetRequiredService<JobStore>();
            var open = (await jobs.FindAsync(posted.Str("id"), CancellationToken.None))!;
            Assert.True((await payments.AuthorizeAsync(open, offer.Str("id"), Customer.Id, SimulatedGateway.Visa, 3000, CancellationToken.None)).Succeeded);
            var done = (await jobs.FindAsync(finished, CancellationToken.None))!;
            var payment = await scope.ServiceProvider.GetRequiredService<PaymentStore>().GetAsync(finished, CancellationToken.None);
            Assert.True((await payments.CaptureAsync(done, payment, 5000, CancellationToken.None)).Succeeded);
        }

        App.Clock.Advance(TimeSpan.FromMinutes(3));
        await App.Sweeper.ReconcilePaymentsAsync(CancellationToken.None);

        Assert.Equal(JobStatus.Requested, await App.StatusAsync(posted.Str("id")));
        Assert.Equal(JobStatus.Paid, await App.StatusAsync(finished));
        await using var db = App.Db();
        Assert.Equal(SimulatedHoldStatus.Canceled, (await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == posted.Str("id"))).Status);
        Assert.Equal(5000, (await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == finished)).Captured);
    }

    [Fact]
    public async Task A_capture_never_committed_is_completed_even_when_the_reconciler_first_runs_days_later()
    {
        var jobId = await FinishedFlatJobAsync(5000);
        using (var scope = App.Services.CreateScope())
        {
            var job = (await scope.ServiceProvider.GetRequiredService<JobStore>().FindAsync(jobId, CancellationToken.None))!;
            var payment = await scope.ServiceProvider.GetRequiredService<PaymentStore>().GetAsync(jobId, CancellationToken.None);
            Assert.True((await scope.ServiceProvider.GetRequiredService<JobPayments>().CaptureAsync(job, payment, 5000, CancellationToken.None)).Succeeded);
        }

        // The customer disputes meanwhile (the capture's commit would have lost to this), and no sweep runs for nine days.
        await (await Customer.PostAsync($"/api/jobs/{jobId}/dispute")).Json();
        App.Clock.Advance(TimeSpan.FromDays(9));
        await App.Sweeper.ReconcilePaymentsAsync(CancellationToken.None);

        var paid = await Customer.GetJobAsync(jobId);
        Assert.Equal(("PAID", "CAPTURED"), (paid.Str("status"), paid.Str("paymentStatus")));
    }

    [Fact]
    public async Task A_hold_the_reconciler_voids_while_its_accept_is_still_in_flight_is_never_committed()
    {
        var job = await Customer.PostFlatJobAsync(5000);
        var jobId = job.Str("id");
        var offer = await Hustler.OfferAsync(jobId);

        // The authorization answers so late that the reconciler takes the accept for dead and voids its hold first.
        Gateway.BeforeNextAnswer("authorize", async () =>
        {
            App.Clock.Advance(PaymentReconciler.Grace + TimeSpan.FromSeconds(1));
            await App.Sweeper.ReconcilePaymentsAsync(CancellationToken.None);
        });

        await (await Customer.PostAsync($"/api/offers/{offer.Str("id")}/accept")).Problem(409, "concurrency_conflict");

        Assert.Equal(JobStatus.Requested, await App.StatusAsync(jobId));
        var (call, hold) = await AuthorizeCallAndHoldAsync(jobId);
        Assert.Equal((PaymentCallState.Compensated, SimulatedHoldStatus.Canceled), (call.State, hold.Status));
        Assert.Equal("SCHEDULED", (await Customer.AcceptAsync(offer.Str("id"))).Str("status"));
        await AssertLiveHoldCoversAsync(jobId, 5000);
    }

    private async Task<(PaymentCall Call, SimulatedHold Hold)> AuthorizeCallAndHoldAsync(string jobId)
    {
        await using var db = App.Db();
        var call = await db.Set<PaymentCall>().AsNoTracking().SingleAsync(c => c.JobId == jobId && c.Operation == "authorize");
        var hold = await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId);
        return (call, hold);
    }
}
