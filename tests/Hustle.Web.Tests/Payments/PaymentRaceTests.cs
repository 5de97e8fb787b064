using Hustle.Domain.Jobs;
using Hustle.Web.Payments;
using Hustle.Web.Payments.Simulated;
using Hustle.Web.Tests.Lifecycle;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Payments;

/// <summary>
/// A request whose gateway call went through but whose commit loses to another request that commits in between
/// (scripted with <see cref="ScriptedGateway.BeforeNextAnswer"/>): the loser answers 409 and the job keeps money
/// held exactly when it still needs it.
/// </summary>
public sealed class PaymentRaceTests() : LifecycleTest(new ScriptedGatewayApp())
{
    private ScriptedGateway Gateway => ((ScriptedGatewayApp)App).Gateway;

    [Fact]
    public async Task Unassign_voids_the_hold_only_once_the_job_is_reopened_so_a_racing_start_code_cannot_leave_it_unfunded()
    {
        var (jobId, scheduled) = await Api.ScheduledFlatJobAsync(Customer, Hustler, amount: 5000);
        HttpResponseMessage? start = null;
        JobStatus? whenVoided = null;
        Gateway.BeforeNextAnswer("void", async () =>
        {
            whenVoided = await App.StatusAsync(jobId);
            start = await Hustler.PostAsync($"/api/jobs/{jobId}/start", new { code = scheduled.Str("startCode") });
        });

        var reopened = await (await Customer.PostAsync($"/api/jobs/{jobId}/unassign")).Json();

        Assert.Equal(JobStatus.Open, whenVoided);
        await start!.Problem(409, "invalid_transition");
        Assert.Equal(("OPEN", "VOIDED"), (reopened.Str("status"), reopened.Str("paymentStatus")));
    }

    [Fact]
    public async Task Unassign_and_start_code_sent_together_leave_either_a_started_job_with_its_hold_or_an_open_job_without()
    {
        var (jobId, scheduled) = await Api.ScheduledFlatJobAsync(Customer, Hustler, amount: 5000);

        var answers = await Task.WhenAll(
            Task.Run(() => Customer.PostAsync($"/api/jobs/{jobId}/unassign")),
            Task.Run(() => Hustler.PostAsync($"/api/jobs/{jobId}/start", new { code = scheduled.Str("startCode") })));

        Assert.Single(answers, a => a.IsSuccessStatusCode);
        if (await App.StatusAsync(jobId) == JobStatus.InProgress)
        {
            await AssertHoldIsLiveAsync(jobId, 5000);
            await Api.CompleteAsync(Customer, Hustler, jobId);
            Assert.Equal("PAID", (await (await Customer.ConfirmAsync(jobId)).Json()).Str("status"));
        }
        else
        {
            Assert.Equal(JobStatus.Open, await App.StatusAsync(jobId));
        }
    }

    [Fact]
    public async Task A_price_rise_on_a_new_hold_losing_to_the_start_code_keeps_the_new_hold_and_the_old_price()
    {
        await Customer.SetPaymentMethodAsync(SimulatedGateway.NoIncremental);
        var (jobId, scheduled) = await Api.ScheduledFlatJobAsync(Customer, Hustler, amount: 5000);
        var proposal = await (await Hustler.PostAsync($"/api/jobs/{jobId}/price-proposals", new { amount = 6000 })).Json(System.Net.HttpStatusCode.Created);
        HttpResponseMessage? start = null;
        Gateway.BeforeNextAnswer("increase", async () => start = await Hustler.PostAsync($"/api/jobs/{jobId}/start", new { code = scheduled.Str("startCode") }));

        var accept = await Customer.PostAsync($"/api/price-proposals/{proposal.Str("id")}/accept");

        Assert.Equal("IN_PROGRESS", (await start!.Json()).Str("status"));
        await accept.Problem(409, "concurrency_conflict");
        Assert.Equal(5000, (await Customer.GetJobAsync(jobId)).Long("amount"));
        await AssertHoldIsLiveAsync(jobId, 6000);
        await Api.CompleteAsync(Customer, Hustler, jobId);
        var paid = await (await Customer.ConfirmAsync(jobId)).Json();
        Assert.Equal(("PAID", 5000L), (paid.Str("status"), paid.Long("finalAmount")));
        await using var db = App.Db();
        Assert.Equal(5000, (await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId && h.Status == SimulatedHoldStatus.Captured)).Captured);
    }

    [Fact]
    public async Task A_price_rise_on_the_same_hold_losing_a_race_records_what_the_hold_now_covers()
    {
        var (jobId, scheduled) = await Api.ScheduledFlatJobAsync(Customer, Hustler, amount: 5000);
        var proposal = await (await Hustler.PostAsync($"/api/jobs/{jobId}/price-proposals", new { amount = 6000 })).Json(System.Net.HttpStatusCode.Created);
        Gateway.BeforeNextAnswer("increase", async () => await (await Hustler.PostAsync($"/api/jobs/{jobId}/start", new { code = scheduled.Str("startCode") })).Json());

        await (await Customer.PostAsync($"/api/price-proposals/{proposal.Str("id")}/accept")).Problem(409, "concurrency_conflict");

        await AssertHoldIsLiveAsync(jobId, 6000);
        await Api.CompleteAsync(Customer, Hustler, jobId);
        Assert.Equal(5000, (await (await Customer.ConfirmAsync(jobId)).Json()).Long("finalAmount"));
    }

    [Fact]
    public async Task An_operator_cancel_racing_the_customers_confirmation_never_both_charges_and_cancels()
    {
        var jobId = await FinishedFlatJobAsync(5000);
        await (await Customer.PostAsync($"/api/jobs/{jobId}/dispute")).Json();
        var op = await App.CreateOperatorAsync();
        HttpResponseMessage? confirm = null;
        Gateway.BeforeNextAnswer("void", async () => confirm = await Customer.ConfirmAsync(jobId));

        var resolve = await op.PostAsync($"/api/jobs/{jobId}/resolve-cancel");

        // The cancel committed before the void, so the confirmation that came meanwhile found the job cancelled.
        Assert.False(confirm!.IsSuccessStatusCode);
        if (!resolve.IsSuccessStatusCode)
        {
            await (await op.PostAsync($"/api/jobs/{jobId}/resolve-cancel")).Json();
        }

        Assert.Equal(JobStatus.Cancelled, await App.StatusAsync(jobId));
        await using var db = App.Db();
        Assert.False(await db.Set<SimulatedHold>().AnyAsync(h => h.JobId == jobId && h.Captured > 0));
    }

    [Fact]
    public async Task A_new_hold_taken_by_a_confirmation_that_loses_to_another_confirmation_never_becomes_the_paid_jobs_hold()
    {
        var jobId = await FinishedFlatJobAsync(5000);
        var captured = (await PaymentAsync(jobId)).HoldId;
        HttpResponseMessage? second = null;

        // The first confirmation has captured but not committed; the hold looks lapsed to the second one, which takes
        // a new hold (the provider does so even for a captured hold) and then cannot capture it.
        Gateway.BeforeNextAnswer("capture", async () =>
        {
            App.Clock.Advance(TimeSpan.FromDays(8));
            second = await Customer.ConfirmAsync(jobId);
        });

        var first = await (await Customer.ConfirmAsync(jobId)).Json();

        Assert.Equal("PAID", first.Str("status"));
        Assert.False(second!.IsSuccessStatusCode);
        await using var db = App.Db();
        var orphan = await db.Set<PaymentCall>().AsNoTracking().SingleAsync(c => c.JobId == jobId && c.Operation == "reauthorize");
        Assert.Equal(captured, orphan.ReplacedHoldId);

        // Once it looks abandoned, the reconciler must void the orphan, not make it the PAID job's hold.
        App.Clock.Advance(PaymentReconciler.Grace + TimeSpan.FromSeconds(1));
        await App.Sweeper.ReconcilePaymentsAsync(CancellationToken.None);

        Assert.Equal(captured, (await PaymentAsync(jobId)).HoldId);
        Assert.Equal(SimulatedHoldStatus.Canceled, (await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.Id == orphan.HoldId)).Status);
    }

    [Fact]
    public async Task A_new_hold_taken_by_a_confirmation_that_loses_to_an_operator_cancel_is_voided_not_kept()
    {
        await Customer.SetPaymentMethodAsync(SimulatedGateway.CaptureFails);
        var jobId = await FinishedFlatJobAsync(5000);
        var first = (await PaymentAsync(jobId)).HoldId;
        await (await Customer.PostAsync($"/api/jobs/{jobId}/dispute")).Json();
        var op = await App.CreateOperatorAsync();
        App.Clock.Advance(TimeSpan.FromDays(8));

        // The hold has lapsed, so the confirmation holds the money anew; that capture fails, and before the failure
        // is recorded the operator cancels the job.
        Gateway.BeforeNextAnswer("capture", async () => await (await op.PostAsync($"/api/jobs/{jobId}/resolve-cancel")).Json());

        await (await Customer.ConfirmAsync(jobId)).Problem(409, "concurrency_conflict");

        Assert.Equal(JobStatus.Cancelled, await App.StatusAsync(jobId));
        Assert.Equal(first, (await PaymentAsync(jobId)).HoldId);
        await using var db = App.Db();
        var replacement = await db.Set<PaymentCall>().AsNoTracking().SingleAsync(c => c.JobId == jobId && c.Operation == "reauthorize");
        Assert.Equal(SimulatedHoldStatus.Canceled, (await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.Id == replacement.HoldId)).Status);
    }

    private async Task<Payment> PaymentAsync(string jobId)
    {
        await using var db = App.Db();
        return await db.Set<Payment>().AsNoTracking().SingleAsync(p => p.JobId == jobId);
    }

    private async Task AssertHoldIsLiveAsync(string jobId, long amount)
    {
        await using var db = App.Db();
        var payment = await db.Set<Payment>().AsNoTracking().SingleAsync(p => p.JobId == jobId);
        var hold = await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.Id == payment.HoldId);
        Assert.Equal((SimulatedHoldStatus.RequiresCapture, amount, amount), (hold.Status, hold.Amount, payment.AuthorizedAmount));
    }
}
