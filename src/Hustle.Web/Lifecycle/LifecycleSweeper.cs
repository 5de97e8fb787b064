using Hustle.Domain.Jobs;
using Hustle.Web.Data;
using Hustle.Web.Jobs;
using Hustle.Web.Payments;
using Hustle.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hustle.Web.Lifecycle;

/// <summary>
/// The work nobody asks for: expiry, auto-confirm, renewing holds before they lapse, repairing payment calls left
/// unsettled, and trimming old feed events. Every change goes through the same transitions and optimistic
/// concurrency as a request, so every node can run this at once and each change still happens once.
/// </summary>
public sealed class LifecycleSweeper(IServiceScopeFactory scopes, TimeProvider clock, IOptionsMonitor<HustleOptions> options, ILogger<LifecycleSweeper> log)
{
    /// <summary>How far ahead of a hold's lapse it is renewed.</summary>
    public static readonly TimeSpan RenewalMargin = TimeSpan.FromDays(1);

    public async Task RunOnceAsync(CancellationToken ct)
    {
        await ExpireJobsAsync(ct);
        await AutoConfirmAsync(ct);
        await RenewHoldsAsync(ct);
        await ReconcilePaymentsAsync(ct);
        await TrimAsync(ct);
    }

    public Task ExpireJobsAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return ForEachJobAsync(
            db => db.Jobs.Where(j => (j.Status == JobStatus.Open || j.Status == JobStatus.Requested) && j.ExpiresAt <= now),
            async (job, _, jobs) =>
            {
                job.Expire(now);
                await jobs.SaveAsync(job, ct);
            },
            ct);
    }

    public Task AutoConfirmAsync(CancellationToken ct)
    {
        var due = clock.GetUtcNow() - options.CurrentValue.AutoConfirmWindow;
        return ForEachJobAsync(
            db => db.Jobs.Where(j => j.Status == JobStatus.AwaitingCustomerConfirm && !j.Disputed && j.PaymentStatus != PaymentStatus.CaptureFailed && j.PaymentRequestedAt <= due),
            async (job, scope, _) => await scope.GetRequiredService<Capture>().RunAsync(job, Actor.System, paid => paid, ct),
            ct);
    }

    /// <summary>
    /// Holds lapse (about 7 days): a job still waiting for its start is given a fresh hold in time; a failure is told
    /// to both. A declined renewal is tried again once the customer has saved a card it was not tried with.
    /// </summary>
    public Task RenewHoldsAsync(CancellationToken ct)
    {
        var soon = clock.GetUtcNow() + RenewalMargin;
        return ForEachJobAsync(
            db => db.Jobs.Where(j => j.Status == JobStatus.Scheduled && db.Set<Payment>().Any(p => p.JobId == j.Id && (
                (j.PaymentStatus == PaymentStatus.Authorized && p.HoldExpiresAt != null && p.HoldExpiresAt <= soon)
                || (j.PaymentStatus == PaymentStatus.AuthorizationFailed && db.Users.Any(u => u.Id == j.CustomerId && u.PaymentMethod != null
                    && !db.Set<PaymentCall>().Any(c => c.JobId == j.Id && c.Operation == "reauthorize" && c.HoldId == p.HoldId && c.PaymentMethod == u.PaymentMethod)))))),
            async (job, scope, jobs) =>
            {
                var payments = scope.GetRequiredService<JobPayments>();
                var store = scope.GetRequiredService<PaymentStore>();
                var payment = await store.GetAsync(job.Id, ct);

                // A renewal is a new authorization: it goes on the card the customer has on file now.
                var card = await store.CardOnFileAsync(job.CustomerId, ct) ?? payment.PaymentMethod!;
                GatewayResult renewed;
                try
                {
                    renewed = await payments.ReauthorizeAsync(job, payment, card, payment.AuthorizedAmount, $"{payment.HoldId}/{JobPayments.ShortHash(card)}", ct);
                }
                catch (ApiProblem refused) when (refused.Status == StatusCodes.Status402PaymentRequired)
                {
                    job.RecordReauthorization(false, null, refused.Message, clock.GetUtcNow());
                    await jobs.SaveAsync(job, ct);
                    return;
                }

                job.RecordReauthorization(true, renewed.Amount, "Hold renewed before it lapsed", clock.GetUtcNow());
                payment.Replace(renewed, card, clock.GetUtcNow());
                try
                {
                    await jobs.SaveAsync(job, ct);
                }
                catch (ConcurrencyConflict)
                {
                    // The provider voided the old hold for this one: kept if the job still needs a hold, else voided.
                    await payments.CompensateAsync(job.Id, renewed, CancellationToken.None);
                    throw;
                }
            },
            ct);
    }

    public async Task ReconcilePaymentsAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        await scope.ServiceProvider.GetRequiredService<PaymentReconciler>().RunAsync(ct);
    }

    private async Task TrimAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HustleDb>();
        var now = clock.GetUtcNow();
        var cutoff = now - options.CurrentValue.FeedRetention;
        await db.FeedEvents
            .Where(e => e.At < cutoff && e.Seq < db.FeedCounters.Where(c => c.UserId == e.UserId).Select(c => c.LastSeq).FirstOrDefault())
            .ExecuteDeleteAsync(ct);
        var keysCutoff = now - TimeSpan.FromDays(1);
        await db.Set<IdempotencyRecord>().Where(r => r.CreatedAt < keysCutoff).ExecuteDeleteAsync(ct);
    }

    private async Task ForEachJobAsync(Func<HustleDb, IQueryable<Job>> query, Func<Job, IServiceProvider, JobStore, Task> act, CancellationToken ct)
    {
        List<string> ids;
        using (var scope = scopes.CreateScope())
        {
            ids = await query(scope.ServiceProvider.GetRequiredService<HustleDb>()).Select(j => j.Id).Take(500).ToListAsync(ct);
        }

        foreach (var id in ids)
        {
            using var scope = scopes.CreateScope();
            var jobs = scope.ServiceProvider.GetRequiredService<JobStore>();
            var job = await jobs.FindAsync(id, ct);
            if (job is null)
            {
                continue;
            }

            try
            {
                await act(job, scope.ServiceProvider, jobs);
            }
            catch (Exception e) when (e is ApiProblem or JobRuleException)
            {
                // Another node or a person got there first, or the job moved on: nothing to do.
                log.LogDebug("Sweep skipped job {JobId}: {Reason}", id, e.Message);
            }
        }
    }
}

/// <summary>Runs <see cref="LifecycleSweeper"/> every <see cref="HustleOptions.SweepInterval"/> of the injected clock.</summary>
public sealed class SweepService(LifecycleSweeper sweeper, TimeProvider clock, IOptionsMonitor<HustleOptions> options, ILogger<SweepService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.CurrentValue.RunSweeps)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.CurrentValue.SweepInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await sweeper.RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Sweep failed; the next one will try again.");
            }
        }
    }
}
