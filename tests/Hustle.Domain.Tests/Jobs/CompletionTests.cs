using Hustle.Domain.Jobs;
using static Hustle.Domain.Tests.Jobs.Situations;

namespace Hustle.Domain.Tests.Jobs;

/// <summary>What completing a job bills: hourly time rounded up to quarter hours and capped at the estimate; flat jobs ask to be paid at once.</summary>
public class CompletionTests
{
    [Theory]
    [InlineData(127, 180, 135)]
    [InlineData(120, 180, 120)]
    [InlineData(121, 180, 135)]
    [InlineData(1, 180, 15)]
    [InlineData(179, 180, 180)]
    [InlineData(181, 180, 180)]
    [InlineData(600, 180, 180)]
    public void Hourly_time_is_billed_rounded_up_to_15_minutes_and_capped_at_the_estimate(int workedMinutes, int estimatedMinutes, int billedMinutes)
    {
        var job = Schedule(PostHourly(hourlyRate: 4000, estimatedMinutes: estimatedMinutes));
        job.VerifyStartCode(User(Hustler), StartCode, WorkDay);

        job.VerifyCompletionCode(User(Hustler), CompletionCode, WorkDay.AddMinutes(workedMinutes));

        Assert.Equal(JobStatus.CompletedByHustler, job.Status);
        Assert.Equal(billedMinutes, job.BilledMinutes);
        Assert.Equal(4000L * billedMinutes / 60, job.FinalAmount);
        Assert.True(job.FinalAmount <= job.AuthorizedAmount);
        var completed = job.NewEvents[^1];
        Assert.Equal(EventTypes.JobCompleted, completed.Type);
        Assert.Equal((object?)billedMinutes, completed.Data["billedMinutes"]);
        Assert.Equal((object?)job.FinalAmount, completed.Data["finalAmount"]);
    }

    [Fact]
    public void Two_hours_seven_minutes_of_work_bill_two_hours_fifteen()
    {
        var job = Build(Situation.CompletedByHustler);

        Assert.Equal(WorkDay.AddHours(2).AddMinutes(7) - job.StartedAt, TimeSpan.FromMinutes(127));
        Assert.Equal(135, job.BilledMinutes);
        Assert.Equal(9000, job.FinalAmount);
    }

    [Fact]
    public void The_hustler_may_lower_the_billed_time_but_never_raise_it()
    {
        var job = Build(Situation.CompletedByHustler);
        var before = Snapshot(job);

        var raise = Assert.Throws<JobRuleException>(() => job.RequestPayment(User(Hustler), 150, WorkDay.AddHours(3)));
        Assert.Equal("validation_failed", raise.Error.Code);
        Assert.Equal(before, Snapshot(job));

        job.RequestPayment(User(Hustler), 120, WorkDay.AddHours(3));

        Assert.Equal(JobStatus.AwaitingCustomerConfirm, job.Status);
        Assert.Equal((120, 8000L), (job.BilledMinutes, job.FinalAmount));
    }

    [Fact]
    public void A_flat_jobs_completion_asks_for_payment_at_once_as_the_system()
    {
        var job = Schedule(PostFlat(amount: 5000), proposedAmount: 4500);
        job.VerifyStartCode(User(Hustler), StartCode, WorkDay);
        job.ClearRecorded();

        job.VerifyCompletionCode(User(Hustler), CompletionCode, WorkDay.AddHours(1));

        Assert.Equal(JobStatus.AwaitingCustomerConfirm, job.Status);
        Assert.Equal(4500, job.FinalAmount);
        Assert.Equal(
            [("VERIFY_COMPLETION_CODE", Hustler, "IN_PROGRESS", "COMPLETED_BY_HUSTLER"), ("REQUEST_PAYMENT", "system", "COMPLETED_BY_HUSTLER", "AWAITING_CUSTOMER_CONFIRM")],
            job.NewHistory.Select(h => (h.Action, h.Actor, h.From, h.To)));
        Assert.Equal([EventTypes.JobCompleted, EventTypes.PaymentRequested], job.NewEvents.Select(e => e.Type));
    }
}
