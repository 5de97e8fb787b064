using Hustle.Web.Payments;
using Hustle.Web.Payments.Simulated;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Lifecycle;

public sealed class FullLifecycleTests : LifecycleTest
{
    [Fact]
    public async Task Flat_job_goes_from_posted_to_paid_and_captures_the_agreed_amount_to_the_cent()
    {
        var (jobId, scheduled) = await Api.ScheduledFlatJobAsync(Customer, Hustler, amount: 5000, proposedAmount: 6250);
        Assert.Equal("SCHEDULED", scheduled.Str("status"));
        Assert.Equal("AUTHORIZED", scheduled.Str("paymentStatus"));
        Assert.Equal(6250, scheduled.Long("amount"));
        Assert.Equal(6250, scheduled.Long("authorizedAmount"));

        var started = await Api.StartAsync(Customer, Hustler, jobId);
        Assert.Equal("IN_PROGRESS", started.Str("status"));
        App.Clock.Advance(TimeSpan.FromMinutes(40));
        var completed = await Api.CompleteAsync(Customer, Hustler, jobId);
        Assert.Equal("AWAITING_CUSTOMER_CONFIRM", completed.Str("status"));
        Assert.Equal(6250, completed.Long("finalAmount"));

        var paid = await (await Customer.ConfirmAsync(jobId)).Json();
        Assert.Equal("PAID", paid.Str("status"));
        Assert.Equal("CAPTURED", paid.Str("paymentStatus"));
        Assert.Equal(6250, paid.Long("finalAmount"));

        var hustlerView = await Hustler.GetJobAsync(jobId);
        Assert.Equal("PAID", hustlerView.Str("status"));
        Assert.Equal(6250, hustlerView.Long("finalAmount"));

        var hold = await SingleHoldAsync(jobId);
        Assert.Equal(SimulatedHoldStatus.Captured, hold.Status);
        Assert.Equal(6250, hold.Amount);
        Assert.Equal(6250, hold.Captured);
        Assert.Equal(SimulatedGateway.Visa, hold.PaymentMethod);
        var payment = await PaymentAsync(jobId);
        Assert.Equal((hold.Id, 6250L, 6250L), (payment.HoldId, payment.AuthorizedAmount, payment.CapturedAmount));

        var events = (await Customer.FeedAsync(jobId)).Select(e => e.Str("type")).ToList();
        Assert.Equal(["JOB_CREATED", "OFFER_RECEIVED", "JOB_ASSIGNED", "JOB_STARTED", "JOB_COMPLETED", "PAYMENT_REQUESTED", "PAYMENT_CAPTURED"], events);
        var captured = (await Hustler.FeedAsync(jobId)).Single(e => e.Str("type") == "PAYMENT_CAPTURED");
        Assert.Equal(6250, captured.GetProperty("data").Long("capturedAmount"));
        var history = (await Hustler.HistoryAsync(jobId)).Select(h => h.Str("action")).ToList();
        Assert.Equal(["POST", "MAKE_OFFER", "ACCEPT_OFFER", "VERIFY_START_CODE", "VERIFY_COMPLETION_CODE", "REQUEST_PAYMENT", "CONFIRM_AND_PAY"], history);
    }

    [Fact]
    public async Task Hourly_job_bills_two_hours_seven_minutes_as_two_and_a_quarter_and_captures_the_lowered_time()
    {
        // 33.33 an hour, 3 hours estimated: the hold is 100.00 (9999 rounded up to the cent).
        var (jobId, scheduled) = await Api.ScheduledHourlyJobAsync(Customer, Hustler, hourlyRate: 3333, estimatedHours: 3m);
        Assert.Equal(9999, scheduled.Long("authorizedAmount"));

        await Api.StartAsync(Customer, Hustler, jobId);
        App.Clock.Advance(new TimeSpan(2, 7, 0));
        var completed = await Api.CompleteAsync(Customer, Hustler, jobId);
        Assert.Equal("COMPLETED_BY_HUSTLER", completed.Str("status"));
        Assert.Equal(135, completed.GetProperty("billedMinutes").GetInt32());
        Assert.Equal(7500, completed.Long("finalAmount")); // 33.33 × 2.25 h = 74.9925, rounded up to the cent

        var requested = await (await Hustler.RequestPaymentAsync(jobId, billableMinutes: 120)).Json();
        Assert.Equal("AWAITING_CUSTOMER_CONFIRM", requested.Str("status"));
        Assert.Equal(120, requested.GetProperty("billedMinutes").GetInt32());
        Assert.Equal(6666, requested.Long("finalAmount"));
        Assert.Equal(6666, (await Customer.GetJobAsync(jobId)).Long("finalAmount"));

        var paid = await (await Customer.ConfirmAsync(jobId)).Json();
        Assert.Equal("PAID", paid.Str("status"));
        Assert.Equal("CAPTURED", paid.Str("paymentStatus"));
        Assert.Equal(6666, paid.Long("finalAmount"));

        var hold = await SingleHoldAsync(jobId);
        Assert.Equal((SimulatedHoldStatus.Captured, 9999L, 6666L), (hold.Status, hold.Amount, hold.Captured));
        var payment = await PaymentAsync(jobId);
        Assert.Equal(6666, payment.CapturedAmount);
        var requestedEvent = (await Customer.FeedAsync(jobId)).Single(e => e.Str("type") == "PAYMENT_REQUESTED");
        Assert.Equal(6666, requestedEvent.GetProperty("data").Long("finalAmount"));
    }

    [Fact]
    public async Task Hourly_billing_is_capped_at_the_authorized_hours_and_cannot_be_raised_in_request_payment()
    {
        var (jobId, _) = await Api.ScheduledHourlyJobAsync(Customer, Hustler, hourlyRate: 4000, estimatedHours: 2m);
        await Api.StartAsync(Customer, Hustler, jobId);
        App.Clock.Advance(TimeSpan.FromHours(3));
        var completed = await Api.CompleteAsync(Customer, Hustler, jobId);
        Assert.Equal(120, completed.GetProperty("billedMinutes").GetInt32());
        Assert.Equal(8000, completed.Long("finalAmount"));

        await (await Hustler.RequestPaymentAsync(jobId, billableMinutes: 135)).Problem(400, "validation_failed");
        await (await Customer.RequestPaymentAsync(jobId)).Problem(409, "invalid_transition");
        await (await Hustler.RequestPaymentAsync(jobId)).Json();
        var paid = await (await Customer.ConfirmAsync(jobId)).Json();
        Assert.Equal(8000, paid.Long("finalAmount"));
        Assert.Equal(8000, (await SingleHoldAsync(jobId)).Captured);
    }

    private async Task<SimulatedHold> SingleHoldAsync(string jobId)
    {
        await using var db = App.Db();
        return await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId);
    }

    private async Task<Payment> PaymentAsync(string jobId)
    {
        await using var db = App.Db();
        return await db.Set<Payment>().AsNoTracking().SingleAsync(p => p.JobId == jobId);
    }
}
