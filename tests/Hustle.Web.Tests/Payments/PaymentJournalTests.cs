using Hustle.Web.Payments;
using Hustle.Web.Tests.Lifecycle;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Payments;

/// <summary>The journal of gateway calls is written by requests and by the reconciler alike: a stale writer must lose.</summary>
public sealed class PaymentJournalTests : LifecycleTest
{
    [Fact]
    public async Task Two_writers_settling_the_same_journal_row_cannot_both_save_the_second_loses()
    {
        await using (var db = App.Db())
        {
            db.Add(new PaymentCall { JobId = "job_journal", Operation = "capture", IdempotencyKey = "job/job_journal/capture/pi_1/v1", Amount = 5000, HoldId = "pi_1", StartedAt = TestApp.Start });
            await db.SaveChangesAsync();
        }

        await using var request = App.Db();
        await using var reconciler = App.Db();
        var byRequest = await request.Set<PaymentCall>().SingleAsync(c => c.JobId == "job_journal");
        var byReconciler = await reconciler.Set<PaymentCall>().SingleAsync(c => c.JobId == "job_journal");
        byRequest.Settle(PaymentCallState.Succeeded, "pi_1", null, TestApp.Start);
        byReconciler.Settle(PaymentCallState.Unavailable, "pi_1", "timeout", TestApp.Start);

        await request.SaveChangesAsync();
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => reconciler.SaveChangesAsync());

        await using var check = App.Db();
        Assert.Equal(PaymentCallState.Succeeded, (await check.Set<PaymentCall>().AsNoTracking().SingleAsync(c => c.JobId == "job_journal")).State);
    }
}
