using System.Net;
using Hustle.Domain.Jobs;
using Hustle.Web.Payments;
using Hustle.Web.Payments.Simulated;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Lifecycle;

public sealed class ConfirmAndPayTests : LifecycleTest
{
    [Fact]
    public async Task Failed_capture_answers_402_keeps_the_job_waiting_and_tells_both_parties()
    {
        await Customer.SetPaymentMethodAsync(SimulatedGateway.CaptureFails);
        var jobId = await FinishedFlatJobAsync(5000);

        await (await Customer.ConfirmAsync(jobId)).Problem(402, "payment_failed");

        var job = await Customer.GetJobAsync(jobId);
        Assert.Equal("AWAITING_CUSTOMER_CONFIRM", job.Str("status"));
        Assert.Equal("CAPTURE_FAILED", job.Str("paymentStatus"));
        foreach (var party in new[] { Customer, Hustler })
        {
            var failed = (await party.FeedAsync(jobId)).Single(e => e.Str("type") == "PAYMENT_FAILED");
            Assert.Equal("CAPTURE_FAILED", failed.GetProperty("data").Str("paymentStatus"));
            Assert.Contains(await party.HistoryAsync(jobId), h => h.Str("action") == "CAPTURE_FAILED");
        }

        // Confirming again on the same card fails again, and nothing is captured either time.
        await (await Customer.ConfirmAsync(jobId)).Problem(402, "payment_failed");
        await using var db = App.Db();
        var hold = await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId);
        Assert.Equal((SimulatedHoldStatus.RequiresCapture, 0L), (hold.Status, hold.Captured));
        Assert.Equal(2, await db.Set<PaymentCall>().CountAsync(c => c.JobId == jobId && c.Operation == "capture" && c.State == PaymentCallState.Failed));
    }

    [Fact]
    public async Task After_a_failed_capture_the_customer_changes_card_and_confirms_again_and_the_new_card_is_charged_once()
    {
        await Customer.SetPaymentMethodAsync(SimulatedGateway.CaptureFails);
        var jobId = await FinishedFlatJobAsync(5000);
        await (await Customer.ConfirmAsync(jobId)).Problem(402, "payment_failed");

        await Customer.SetPaymentMethodAsync(SimulatedGateway.Visa);
        var paid = await (await Customer.ConfirmAsync(jobId)).Json();

        Assert.Equal("PAID", paid.Str("status"));
        Assert.Equal("CAPTURED", paid.Str("paymentStatus"));
        await using var db = App.Db();
        var holds = await db.Set<SimulatedHold>().AsNoTracking().Where(h => h.JobId == jobId).ToListAsync();
        var failedCard = Assert.Single(holds, h => h.PaymentMethod == SimulatedGateway.CaptureFails);
        Assert.Equal((SimulatedHoldStatus.Canceled, 0L), (failedCard.Status, failedCard.Captured));
        var newCard = Assert.Single(holds, h => h.PaymentMethod == SimulatedGateway.Visa);
        Assert.Equal((SimulatedHoldStatus.Captured, 5000L, 5000L), (newCard.Status, newCard.Amount, newCard.Captured));
        var payment = await db.Set<Payment>().AsNoTracking().SingleAsync(p => p.JobId == jobId);
        Assert.Equal((newCard.Id, SimulatedGateway.Visa, 5000L), (payment.HoldId, payment.PaymentMethod, payment.CapturedAmount));
        Assert.Contains((await Hustler.FeedAsync(jobId)), e => e.Str("type") == "PAYMENT_CAPTURED");
    }

    [Fact]
    public async Task A_new_card_is_charged_even_when_the_hold_on_the_failed_card_has_lapsed_meanwhile()
    {
        await Customer.SetPaymentMethodAsync(SimulatedGateway.CaptureFails);
        var jobId = await FinishedFlatJobAsync(5000);
        await (await Customer.ConfirmAsync(jobId)).Problem(402, "payment_failed");
        App.Clock.Advance(TimeSpan.FromDays(8));

        await Customer.SetPaymentMethodAsync(SimulatedGateway.Visa);
        var paid = await (await Customer.ConfirmAsync(jobId)).Json();

        Assert.Equal("PAID", paid.Str("status"));
        await using var db = App.Db();
        var charged = await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId && h.Status == SimulatedHoldStatus.Captured);
        Assert.Equal((SimulatedGateway.Visa, 5000L), (charged.PaymentMethod, charged.Captured));
    }

    [Fact]
    public async Task After_a_failed_capture_a_declined_new_card_answers_402_and_leaves_the_old_hold_in_place()
    {
        await Customer.SetPaymentMethodAsync(SimulatedGateway.CaptureFails);
        var jobId = await FinishedFlatJobAsync(5000);
        await (await Customer.ConfirmAsync(jobId)).Problem(402, "payment_failed");

        await Customer.SetPaymentMethodAsync(SimulatedGateway.ChargeDeclined);
        await (await Customer.ConfirmAsync(jobId)).Problem(402, "payment_declined");

        var job = await Customer.GetJobAsync(jobId);
        Assert.Equal(("AWAITING_CUSTOMER_CONFIRM", "CAPTURE_FAILED"), (job.Str("status"), job.Str("paymentStatus")));
        await using var db = App.Db();
        var hold = await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId);
        Assert.Equal(SimulatedHoldStatus.RequiresCapture, hold.Status);
        Assert.Equal(hold.Id, (await db.Set<Payment>().AsNoTracking().SingleAsync(p => p.JobId == jobId)).HoldId);
    }

    [Fact]
    public async Task Confirm_replayed_with_the_same_Idempotency_Key_returns_the_first_answer_and_captures_once()
    {
        var jobId = await FinishedFlatJobAsync(5000);

        var first = await Customer.ConfirmAsync(jobId, "confirm-1");
        var firstBody = await first.Content.ReadAsStringAsync();
        var replay = await Customer.ConfirmAsync(jobId, "confirm-1");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(firstBody, await replay.Content.ReadAsStringAsync());
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        await (await Customer.ConfirmAsync(jobId, "confirm-2")).Problem(409, "invalid_transition");
        await (await Steps.Send(Customer, $"/api/jobs/{jobId}/dispute", new { reason = "no" }, "confirm-1")).Problem(422, "idempotency_mismatch");

        await using var db = App.Db();
        Assert.Equal(1, await db.Set<PaymentCall>().CountAsync(c => c.JobId == jobId && c.Operation == "capture"));
        Assert.Equal(1, await db.Set<SimulatedIdempotencyKey>().CountAsync(k => k.Key.StartsWith($"job/{jobId}/capture/")));
        Assert.Equal(1, (await Customer.FeedAsync(jobId)).Count(e => e.Str("type") == "PAYMENT_CAPTURED"));
    }

    [Fact]
    public async Task Ten_racing_confirmations_capture_once_and_each_gets_the_paid_job_or_409()
    {
        var jobId = await FinishedFlatJobAsync(5000);

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => Customer.ConfirmAsync(jobId))));

        // A confirmation that reads the job after another one paid it is answered like a retry of that one: the paid
        // job. One that raced it to the commit is told 409. Either way the money moves once.
        var paid = answers.Where(a => a.StatusCode == HttpStatusCode.OK).ToList();
        Assert.NotEmpty(paid);
        foreach (var answer in paid)
        {
            Assert.Equal("PAID", (await answer.Json()).Str("status"));
        }

        foreach (var lost in answers.Where(a => a.StatusCode != HttpStatusCode.OK))
        {
            var problem = await lost.Problem(409, (await lost.Content.ReadAsStringAsync()).Contains("invalid_transition") ? "invalid_transition" : "concurrency_conflict");
            Assert.NotNull(problem.GetProperty("detail").GetString());
        }

        Assert.Equal(JobStatus.Paid, await App.StatusAsync(jobId));
        await using var db = App.Db();
        var hold = await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId);
        Assert.Equal((SimulatedHoldStatus.Captured, 5000L), (hold.Status, hold.Captured));
        Assert.Equal(1, await db.Set<SimulatedIdempotencyKey>().CountAsync(k => k.Key.StartsWith($"job/{jobId}/capture/")));
        Assert.Equal(1, (await Hustler.FeedAsync(jobId)).Count(e => e.Str("type") == "PAYMENT_CAPTURED"));
        Assert.Equal(1, (await Customer.HistoryAsync(jobId)).Count(h => h.Str("to") == "PAID"));
    }

    [Fact]
    public async Task Confirm_racing_the_auto_confirm_sweep_captures_once()
    {
        var jobId = await FinishedFlatJobAsync(5000);
        App.Clock.Advance(TimeSpan.FromHours(72) + TimeSpan.FromMinutes(1));

        var confirm = Task.Run(() => Customer.ConfirmAsync(jobId));
        var sweep = Task.Run(() => App.Sweeper.AutoConfirmAsync(CancellationToken.None));
        await Task.WhenAll(confirm, sweep);

        var answer = await confirm;
        Assert.True(answer.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"confirm answered {(int)answer.StatusCode}");
        Assert.Equal(JobStatus.Paid, await App.StatusAsync(jobId));
        await using var db = App.Db();
        var hold = await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId);
        Assert.Equal(5000, hold.Captured);
        Assert.Equal(1, await db.Set<SimulatedIdempotencyKey>().CountAsync(k => k.Key.StartsWith($"job/{jobId}/capture/")));
        Assert.Equal(1, (await Customer.FeedAsync(jobId)).Count(e => e.Str("type") == "PAYMENT_CAPTURED"));
    }
}
