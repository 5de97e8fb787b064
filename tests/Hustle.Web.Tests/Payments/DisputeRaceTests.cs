using System.Data.Common;
using Hustle.Web.Data;
using Hustle.Web.Payments;
using Hustle.Web.Payments.Simulated;
using Hustle.Web.Tests.Lifecycle;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Hustle.Web.Tests.Payments;

/// <summary>
/// An operator's cancel of a disputed job racing another change of that job: the other change commits between the
/// resolve's read and its commit (scripted with <see cref="AfterPaymentRead"/>). The resolve loses with 409 and no
/// money may have moved: the hold stays authorized in the record and at the provider.
/// </summary>
public sealed class DisputeRaceTests() : LifecycleTest(new InterleavingApp())
{
    private AfterPaymentRead Interleave => ((InterleavingApp)App).Interleave;

    [Fact]
    public async Task A_resolve_that_loses_the_race_for_the_job_answers_409_and_leaves_the_hold_authorized()
    {
        var jobId = await FinishedFlatJobAsync(5000);
        await (await Customer.PostAsync($"/api/jobs/{jobId}/dispute", new { reason = "Not done" })).Json();
        var op = await App.CreateOperatorAsync();
        var feeds = (await Customer.FeedAsync()).Count + ":" + (await Hustler.FeedAsync()).Count;
        string? raced = null;

        // What the reconciler's claim does: another commit moves the job's version on after the resolve read it.
        Interleave.Next(async () =>
        {
            await using var db = App.Db();
            await db.Jobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(u => u.SetProperty(j => j.Version, j => j.Version + 1));
            raced = await App.SnapshotAsync(jobId);
        });

        await (await op.PostAsync($"/api/jobs/{jobId}/resolve-cancel", new { reason = "Refused" })).Problem(409, "concurrency_conflict");

        Assert.NotNull(raced);
        Assert.Equal(raced, await App.SnapshotAsync(jobId));
        Assert.Equal(feeds, (await Customer.FeedAsync()).Count + ":" + (await Hustler.FeedAsync()).Count);
        var job = await Customer.GetJobAsync(jobId);
        Assert.Equal(("AWAITING_CUSTOMER_CONFIRM", "AUTHORIZED"), (job.Str("status"), job.Str("paymentStatus")));
        await using (var db = App.Db())
        {
            var payment = await db.Set<Payment>().AsNoTracking().SingleAsync(p => p.JobId == jobId);
            Assert.Equal((5000L, 0L, 0L), (payment.AuthorizedAmount, payment.VoidedAmount, payment.CapturedAmount));
            var hold = await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.Id == payment.HoldId);
            Assert.Equal((SimulatedHoldStatus.RequiresCapture, 5000L, 0L), (hold.Status, hold.Amount, hold.Captured));
            Assert.False(await db.Set<PaymentCall>().AnyAsync(c => c.JobId == jobId && c.Operation == "void"));
        }

        // Tried again, the resolve goes through and only then voids.
        var cancelled = await (await op.PostAsync($"/api/jobs/{jobId}/resolve-cancel", new { reason = "Refused" })).Json();
        Assert.Equal(("CANCELLED", "VOIDED"), (cancelled.Str("status"), cancelled.Str("paymentStatus")));
        await using (var db = App.Db())
        {
            Assert.Equal(SimulatedHoldStatus.Canceled, (await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId)).Status);
            var voided = await db.Set<PaymentCall>().AsNoTracking().SingleAsync(c => c.JobId == jobId && c.Operation == "void");
            Assert.Equal(PaymentCallState.Succeeded, voided.State);
        }
    }

    [Fact]
    public async Task A_customer_who_confirms_while_a_resolve_is_between_read_and_commit_pays_and_the_resolve_gets_409()
    {
        var jobId = await FinishedFlatJobAsync(5000);
        await (await Customer.PostAsync($"/api/jobs/{jobId}/dispute")).Json();
        var op = await App.CreateOperatorAsync();
        Interleave.Next(async () => await (await Customer.ConfirmAsync(jobId)).Json());

        await (await op.PostAsync($"/api/jobs/{jobId}/resolve-cancel")).Problem(409, "concurrency_conflict");

        var job = await Customer.GetJobAsync(jobId);
        Assert.Equal(("PAID", "CAPTURED", 5000L), (job.Str("status"), job.Str("paymentStatus"), job.Long("finalAmount")));
        await using var db = App.Db();
        var hold = await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId);
        Assert.Equal((SimulatedHoldStatus.Captured, 5000L), (hold.Status, hold.Captured));
        Assert.False(await db.Set<PaymentCall>().AnyAsync(c => c.JobId == jobId && c.Operation == "void"));
    }
}

/// <summary>A node whose database commands pass <see cref="AfterPaymentRead"/>.</summary>
public sealed class InterleavingApp : TestApp
{
    public AfterPaymentRead Interleave { get; } = new();

    protected override void ConfigureTestServices(IServiceCollection services)
    {
        services.ConfigureDbContext<SqliteHustleDb>(o => o.AddInterceptors(Interleave));
        services.ConfigureDbContext<PostgresHustleDb>(o => o.AddInterceptors(Interleave));
    }
}

/// <summary>Once armed, runs a change as soon as the next read of a payment record is done: between a request's read and its commit.</summary>
public sealed class AfterPaymentRead : DbCommandInterceptor
{
    private Func<Task>? _meanwhile;

    public void Next(Func<Task> meanwhile) => _meanwhile = meanwhile;

    public override async ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        if (command.CommandText.Contains("FROM \"Payment\" ", StringComparison.Ordinal) && Interlocked.Exchange(ref _meanwhile, null) is { } meanwhile)
        {
            await meanwhile();
        }

        return result;
    }
}
