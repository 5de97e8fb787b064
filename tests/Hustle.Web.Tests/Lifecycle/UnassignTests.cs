using System.Text.Json;
using Hustle.Web.Payments;
using Hustle.Web.Payments.Simulated;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Lifecycle;

public sealed class UnassignTests : LifecycleTest
{
    [Fact]
    public async Task Unassign_voids_the_hold_without_a_refund_and_a_new_hustler_then_completes_and_is_paid()
    {
        var (jobId, scheduled) = await Api.ScheduledFlatJobAsync(Customer, Hustler, amount: 5000);
        var oldCode = scheduled.Str("startCode");

        var reopened = await (await Customer.PostAsync($"/api/jobs/{jobId}/unassign", new { reason = "Plans changed" })).Json();

        Assert.Equal(("OPEN", "VOIDED"), (reopened.Str("status"), reopened.Str("paymentStatus")));
        Assert.Equal(JsonValueKind.Null, reopened.GetProperty("hustlerId").ValueKind);
        Assert.Equal(JsonValueKind.Null, reopened.GetProperty("startCode").ValueKind);
        await using (var db = App.Db())
        {
            var hold = await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId);
            Assert.Equal((SimulatedHoldStatus.Canceled, 0L, 0L), (hold.Status, hold.Captured, hold.Refunded));
            var calls = await db.Set<PaymentCall>().AsNoTracking().Where(c => c.JobId == jobId).Select(c => c.Operation).ToListAsync();
            Assert.Equal(["authorize", "void"], calls);
            var payment = await db.Set<Payment>().AsNoTracking().SingleAsync(p => p.JobId == jobId);
            Assert.Equal((0L, 5000L, 0L), (payment.AuthorizedAmount, payment.VoidedAmount, payment.RefundedAmount));
        }

        var unassigned = (await Hustler.FeedAsync(jobId)).Single(e => e.Str("type") == "JOB_UNASSIGNED");
        Assert.Equal("CUSTOMER", unassigned.GetProperty("data").Str("by"));
        var line = (await Customer.HistoryAsync(jobId)).Last();
        Assert.Equal(("UNASSIGN", "SCHEDULED", "OPEN", "Plans changed"), (line.Str("action"), line.Str("from"), line.Str("to"), line.Str("reason")));
        // The old hustler is out and the old code is dead.
        await (await Hustler.PostAsync($"/api/jobs/{jobId}/start", new { code = oldCode })).Problem(409, "invalid_transition");

        var second = await NewHustlerAsync();
        var offer = await second.OfferAsync(jobId, 4800);
        var rescheduled = await Customer.AcceptAsync(offer.Str("id"));
        Assert.Equal(("SCHEDULED", "AUTHORIZED", 4800L), (rescheduled.Str("status"), rescheduled.Str("paymentStatus"), rescheduled.Long("authorizedAmount")));
        Assert.NotEqual(oldCode, rescheduled.Str("startCode"));
        await Api.StartAsync(Customer, second, jobId);
        await Api.CompleteAsync(Customer, second, jobId);
        var paid = await (await Customer.ConfirmAsync(jobId)).Json();

        Assert.Equal(("PAID", second.Id, 4800L), (paid.Str("status"), paid.Str("hustlerId"), paid.Long("finalAmount")));
        await using (var db = App.Db())
        {
            var holds = await db.Set<SimulatedHold>().AsNoTracking().Where(h => h.JobId == jobId).ToListAsync();
            Assert.Equal(2, holds.Count);
            Assert.Equal(5000, Assert.Single(holds, h => h.Status == SimulatedHoldStatus.Canceled).Amount);
            Assert.Equal(4800, Assert.Single(holds, h => h.Status == SimulatedHoldStatus.Captured).Captured);
        }

        Assert.DoesNotContain(await Hustler.FeedAsync(jobId), e => e.Str("type") == "PAYMENT_CAPTURED");
        Assert.Contains(await second.FeedAsync(jobId), e => e.Str("type") == "PAYMENT_CAPTURED");
    }

    [Fact]
    public async Task The_hustler_can_unassign_before_the_start_code_but_nobody_can_after_it()
    {
        var (jobId, _) = await Api.ScheduledFlatJobAsync(Customer, Hustler);
        var reopened = await (await Hustler.PostAsync($"/api/jobs/{jobId}/unassign")).Json();
        Assert.Equal("OPEN", reopened.Str("status"));
        Assert.Equal("ASSIGNED_HUSTLER", (await Customer.FeedAsync(jobId)).Single(e => e.Str("type") == "JOB_UNASSIGNED").GetProperty("data").Str("by"));

        var offer = await Hustler.OfferAsync(jobId);
        await Customer.AcceptAsync(offer.Str("id"));
        await Api.StartAsync(Customer, Hustler, jobId);
        var before = await App.SnapshotAsync(jobId);
        await (await Hustler.PostAsync($"/api/jobs/{jobId}/unassign")).Problem(409, "invalid_transition");
        await (await Customer.PostAsync($"/api/jobs/{jobId}/unassign")).Problem(409, "invalid_transition");
        await (await Customer.PostAsync($"/api/jobs/{jobId}/cancel")).Problem(409, "invalid_transition");
        Assert.Equal(before, await App.SnapshotAsync(jobId));
        await Api.CompleteAsync(Customer, Hustler, jobId);
        Assert.Equal("PAID", (await (await Customer.ConfirmAsync(jobId)).Json()).Str("status"));
    }
}
