using Hustle.Domain.Jobs;
using Hustle.Web.Payments;
using Hustle.Web.Payments.Simulated;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Lifecycle;

public sealed class DisputeTests : LifecycleTest
{
    [Fact]
    public async Task An_unanswered_payment_request_is_confirmed_by_the_system_after_72_hours_and_not_before()
    {
        var jobId = await FinishedFlatJobAsync(5000);

        App.Clock.Advance(TimeSpan.FromHours(72) - TimeSpan.FromMinutes(1));
        await App.Sweeper.AutoConfirmAsync(CancellationToken.None);
        Assert.Equal(JobStatus.AwaitingCustomerConfirm, await App.StatusAsync(jobId));

        App.Clock.Advance(TimeSpan.FromMinutes(1));
        await App.Sweeper.AutoConfirmAsync(CancellationToken.None);

        var job = await Hustler.GetJobAsync(jobId);
        Assert.Equal(("PAID", "CAPTURED"), (job.Str("status"), job.Str("paymentStatus")));
        var line = (await Customer.HistoryAsync(jobId)).Last();
        Assert.Equal(("AUTO_CONFIRM", "system", "PAID"), (line.Str("action"), line.Str("actor"), line.Str("to")));
        Assert.Contains(await Customer.FeedAsync(jobId), e => e.Str("type") == "PAYMENT_CAPTURED");
        await using var db = App.Db();
        Assert.Equal(5000, (await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId)).Captured);
    }

    [Fact]
    public async Task A_disputed_job_is_never_auto_confirmed()
    {
        var jobId = await FinishedFlatJobAsync(5000);

        var disputed = await (await Customer.PostAsync($"/api/jobs/{jobId}/dispute", new { reason = "The sink still leaks" })).Json();

        Assert.True(disputed.GetProperty("disputed").GetBoolean());
        Assert.Equal("AWAITING_CUSTOMER_CONFIRM", disputed.Str("status"));
        Assert.Equal("The sink still leaks", (await Hustler.FeedAsync(jobId)).Single(e => e.Str("type") == "JOB_DISPUTED").GetProperty("data").Str("reason"));
        await (await Customer.PostAsync($"/api/jobs/{jobId}/dispute")).Problem(409, "invalid_transition");
        await (await Hustler.PostAsync($"/api/jobs/{jobId}/dispute")).Problem(409, "invalid_transition");

        foreach (var hours in new[] { 73, 24 * 30 })
        {
            App.Clock.Advance(TimeSpan.FromHours(hours));
            await App.Sweeper.RunOnceAsync(CancellationToken.None);
            Assert.Equal(JobStatus.AwaitingCustomerConfirm, await App.StatusAsync(jobId));
        }

        await using var db = App.Db();
        Assert.False(await db.Set<PaymentCall>().AnyAsync(c => c.JobId == jobId && c.Operation == "capture"));
    }

    [Fact]
    public async Task An_operator_resolves_a_dispute_by_cancelling_and_the_hold_is_voided()
    {
        var jobId = await FinishedFlatJobAsync(5000);
        await (await Customer.PostAsync($"/api/jobs/{jobId}/dispute", new { reason = "Not done" })).Json();
        var op = await App.CreateOperatorAsync();

        var cancelled = await (await op.PostAsync($"/api/jobs/{jobId}/resolve-cancel", new { reason = "Refused by operator" })).Json();

        Assert.Equal(("CANCELLED", "VOIDED"), (cancelled.Str("status"), cancelled.Str("paymentStatus")));
        foreach (var party in new[] { Customer, Hustler })
        {
            var told = (await party.FeedAsync(jobId)).Single(e => e.Str("type") == "JOB_CANCELLED").GetProperty("data");
            Assert.Equal("VOIDED", told.Str("paymentStatus"));
        }

        var line = (await Customer.HistoryAsync(jobId)).Last();
        Assert.Equal(("RESOLVE_DISPUTE_CANCEL", op.Id, "Refused by operator"), (line.Str("action"), line.Str("actor"), line.Str("reason")));
        await using var db = App.Db();
        var hold = await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId);
        Assert.Equal((SimulatedHoldStatus.Canceled, 0L), (hold.Status, hold.Captured));
        var payment = await db.Set<Payment>().AsNoTracking().SingleAsync(p => p.JobId == jobId);
        Assert.Equal((0L, 5000L, 0L), (payment.AuthorizedAmount, payment.VoidedAmount, payment.CapturedAmount));
        await (await Customer.ConfirmAsync(jobId)).Problem(409, "invalid_transition");
    }

    [Fact]
    public async Task Only_an_operator_may_resolve_and_only_a_disputed_job()
    {
        var jobId = await FinishedFlatJobAsync(5000);
        var op = await App.CreateOperatorAsync();
        await (await op.PostAsync($"/api/jobs/{jobId}/resolve-cancel")).Problem(409, "invalid_transition");
        await (await Customer.PostAsync($"/api/jobs/{jobId}/dispute")).Json();
        var before = await App.SnapshotAsync(jobId);

        await (await Customer.PostAsync($"/api/jobs/{jobId}/resolve-cancel")).Problem(409, "invalid_transition");
        await (await Hustler.PostAsync($"/api/jobs/{jobId}/resolve-cancel")).Problem(409, "invalid_transition");
        await (await op.PostAsync("/api/jobs/job_does_not_exist/resolve-cancel")).Problem(404, "not_found");

        Assert.Equal(before, await App.SnapshotAsync(jobId));
        await using var db = App.Db();
        Assert.Equal(SimulatedHoldStatus.RequiresCapture, (await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId)).Status);
        // Resolved in the end, so no hold is left for the invariants to find.
        await (await op.PostAsync($"/api/jobs/{jobId}/resolve-cancel")).Json();
    }

    [Fact]
    public async Task An_operator_can_cancel_a_dispute_that_outlived_the_hold()
    {
        var jobId = await FinishedFlatJobAsync(5000);
        await (await Customer.PostAsync($"/api/jobs/{jobId}/dispute")).Json();
        var op = await App.CreateOperatorAsync();
        App.Clock.Advance(TimeSpan.FromDays(10));

        var cancelled = await (await op.PostAsync($"/api/jobs/{jobId}/resolve-cancel")).Json();

        Assert.Equal(("CANCELLED", "VOIDED"), (cancelled.Str("status"), cancelled.Str("paymentStatus")));
    }
}
