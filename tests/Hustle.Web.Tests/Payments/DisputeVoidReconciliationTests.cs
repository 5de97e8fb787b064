using Hustle.Domain.Jobs;
using Hustle.Web.Data;
using Hustle.Web.Payments;
using Hustle.Web.Payments.Simulated;
using Hustle.Web.Tests.Lifecycle;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Payments;

/// <summary>An operator's dispute cancel whose void lost its answer: the job stays cancelled and the reconciler settles the void.</summary>
public sealed class DisputeVoidReconciliationTests() : LifecycleTest(new ScriptedGatewayApp())
{
    private ScriptedGateway Gateway => ((ScriptedGatewayApp)App).Gateway;

    [Fact]
    public async Task A_dispute_cancel_whose_void_answer_was_lost_stays_cancelled_and_the_reconciler_settles_the_void_with_its_key()
    {
        var jobId = await FinishedFlatJobAsync(5000);
        await (await Customer.PostAsync($"/api/jobs/{jobId}/dispute")).Json();
        var op = await App.CreateOperatorAsync();
        Gateway.LoseNextAnswer("void");

        var cancelled = await (await op.PostAsync($"/api/jobs/{jobId}/resolve-cancel")).Json();

        Assert.Equal(("CANCELLED", "VOIDED"), (cancelled.Str("status"), cancelled.Str("paymentStatus")));
        PaymentCall Void(HustleDb db) => db.Set<PaymentCall>().AsNoTracking().Single(c => c.JobId == jobId && c.Operation == "void");
        await using (var db = App.Db())
        {
            Assert.Equal(PaymentCallState.Started, Void(db).State);
        }

        App.Clock.Advance(PaymentReconciler.Grace + TimeSpan.FromSeconds(1));
        await App.Sweeper.ReconcilePaymentsAsync(CancellationToken.None);

        await using (var db = App.Db())
        {
            var call = Void(db);
            Assert.Equal((PaymentCallState.Succeeded, $"job/{jobId}/void/{call.HoldId}"), (call.State, call.IdempotencyKey));
            Assert.Equal(SimulatedHoldStatus.Canceled, (await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.Id == call.HoldId)).Status);
            Assert.Equal(1, await db.Set<SimulatedIdempotencyKey>().CountAsync(k => k.Key == call.IdempotencyKey));
        }

        Assert.Equal(JobStatus.Cancelled, await App.StatusAsync(jobId));
    }
}
