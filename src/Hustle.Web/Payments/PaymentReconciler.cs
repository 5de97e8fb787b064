using Hustle.Domain.Jobs;
using Hustle.Web.Data;
using Hustle.Web.Infrastructure;
using Hustle.Web.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Payments;

/// <summary>
/// Repairs money whose outcome Hustle did not record: a call left <c>Started</c> (the process died between the
/// gateway call and the commit) is repeated with the same idempotency key, so the provider answers what it did the
/// first time without doing it again; then a hold that no committed job uses is voided (or kept, if it replaced
/// the hold of a job that still needs one: <see cref="JobPayments.CompensateAsync"/>), and a capture that succeeded
/// for a job not yet PAID completes the payment, or is refunded if the job can no longer be paid. A step that loses
/// a race is left for the next sweep; a sweep that finds nothing new (the provider still down) writes nothing.
/// </summary>
public sealed class PaymentReconciler(HustleDb db, JobPayments payments, IPaymentGateway gateway, JobStore jobs, PaymentStore store, TimeProvider clock, ILogger<PaymentReconciler> log)
{
    /// <summary>How long a call may be in flight before it is considered abandoned.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    private static readonly string[] HoldTaking = ["authorize", "increase", "reauthorize"];

    public async Task RunAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow() - Grace;
        await RepeatUnsettledAsync(cutoff, ct);
        await SettleOrphanedHoldsAsync(cutoff, ct);
        await CompleteCapturesAsync(cutoff, ct);
    }

    /// <summary>
    /// After a restart: the calls a dead process left in flight are repeated at once, and a capture among them that
    /// went through shows the job PAID now rather than after the grace. A live node's call still in flight is safe to
    /// repeat too: the provider answers the same key the same way, and the job's commit is under its version check.
    /// Orphaned holds are left to the sweeps, after the grace, as a live request may still commit them.
    /// </summary>
    public async Task RecoverAfterRestartAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await RepeatUnsettledAsync(now, ct);
        await CompleteCapturesAsync(now, ct);
    }

    private async Task RepeatUnsettledAsync(DateTimeOffset cutoff, CancellationToken ct)
    {
        foreach (var call in await db.Set<PaymentCall>().Where(c => c.State == PaymentCallState.Started && c.StartedAt <= cutoff).Take(100).ToListAsync(ct))
        {
            log.LogWarning("Repeating unsettled {Operation} for job {JobId} with key {Key}.", call.Operation, call.JobId, call.IdempotencyKey);
            try
            {
                await payments.SettleAsync(call, db.SaveChangesAsync, () => RepeatAsync(call, ct), ct);
            }
            catch (ApiProblem)
            {
                // Declined or still unreachable: recorded on the call; an unreachable one is tried again next sweep.
            }
        }
    }

    private async Task SettleOrphanedHoldsAsync(DateTimeOffset cutoff, CancellationToken ct)
    {
        var since = clock.GetUtcNow() - TimeSpan.FromDays(8);
        var holds = await db.Set<PaymentCall>().AsNoTracking()
            .Where(c => HoldTaking.Contains(c.Operation) && (c.State == PaymentCallState.Succeeded || c.State == PaymentCallState.Orphaned) && c.StartedAt < cutoff && c.StartedAt > since && c.HoldId != null)
            .ToListAsync(ct);
        foreach (var call in holds)
        {
            var version = await db.Jobs.AsNoTracking().Where(j => j.Id == call.JobId).Select(j => j.Version).FirstOrDefaultAsync(ct);
            var current = await db.Set<Payment>().AsNoTracking().Where(p => p.JobId == call.JobId).Select(p => p.HoldId).FirstOrDefaultAsync(ct);
            var settled = await db.Set<PaymentCall>().AnyAsync(c => c.HoldId == call.HoldId && c.State == PaymentCallState.Succeeded && (c.Operation == "void" || c.Operation == "capture"), ct)
                || await db.Set<PaymentCall>().AnyAsync(c => c.ReplacedHoldId == call.HoldId && (c.State == PaymentCallState.Succeeded || c.State == PaymentCallState.Orphaned), ct)
                || await db.Set<PaymentCall>().AnyAsync(c => c.HoldId == call.HoldId && c.Operation == "void" && c.State == PaymentCallState.Started, ct);
            if (current == call.HoldId || settled || !await ClaimAsync(call, version, ct))
            {
                continue;
            }

            log.LogWarning("Settling hold {HoldId} of job {JobId}: no committed change uses it.", call.HoldId, call.JobId);
            try
            {
                await payments.CompensateAsync(call.JobId, new GatewayResult(GatewayOutcome.Succeeded, call.HoldId, call.Amount), ct);
            }
            catch (ApiProblem refused)
            {
                // The provider refused the void (the hold was captured meanwhile) or did not answer: the next sweep looks again.
                log.LogWarning("Hold {HoldId} of job {JobId} stays for the next sweep: {Reason}", call.HoldId, call.JobId, refused.Message);
            }
        }
    }

    /// <summary>
    /// Before a hold no committed change uses is settled, the job's version is moved on, if it is still the one read
    /// with the payment. A change that took the hold and has not committed yet (a slow request, a paused process)
    /// can only commit under the version it read: it then loses and compensates, instead of committing a hold this
    /// sweep is about to void. That is needed once per hold: the call is marked <see cref="PaymentCallState.Orphaned"/>
    /// in the same transaction, and later sweeps (the provider still down) only try the void again.
    /// False when the job changed meanwhile: the next sweep looks again.
    /// </summary>
    private async Task<bool> ClaimAsync(PaymentCall call, int version, CancellationToken ct)
    {
        if (call.State == PaymentCallState.Orphaned)
        {
            return true;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var claimed = await db.Jobs.Where(j => j.Id == call.JobId && j.Version == version).ExecuteUpdateAsync(u => u.SetProperty(j => j.Version, j => j.Version + 1), ct) == 1
            && await db.Set<PaymentCall>().Where(c => c.Id == call.Id && c.Version == call.Version)
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.State, PaymentCallState.Orphaned).SetProperty(c => c.Version, c => c.Version + 1), ct) == 1;
        if (claimed)
        {
            await transaction.CommitAsync(ct);
        }

        return claimed;
    }

    /// <summary>No look-back limit: money taken for a job that does not show it as paid is repaired however late.</summary>
    private async Task CompleteCapturesAsync(DateTimeOffset cutoff, CancellationToken ct)
    {
        var captures = await db.Set<PaymentCall>().AsNoTracking()
            .Where(c => c.Operation == "capture" && c.State == PaymentCallState.Succeeded && c.StartedAt <= cutoff)
            .Where(c => db.Jobs.Any(j => j.Id == c.JobId && j.Status != JobStatus.Paid))
            .Where(c => !db.Set<PaymentCall>().Any(r => r.Operation == "refund" && r.HoldId == c.HoldId))
            .ToListAsync(ct);
        foreach (var call in captures)
        {
            var job = await jobs.FindAsync(call.JobId, ct);
            if (job is null)
            {
                continue;
            }

            // As for a request's lost capture (Capture.RecordLostCaptureAsync): the job was read first, so a PAID job
            // may have been paid with this very capture (not PAID when the captures were listed), and a capture that a
            // racer recorded as kept, or gave back, since it was listed is left as it is.
            var payment = await store.GetAsync(job.Id, ct);
            if (await store.IsCaptureSettledAsync(payment, call.HoldId!, ct))
            {
                store.Forget();
                continue;
            }

            var now = clock.GetUtcNow();
            PaymentCall? refund = null;
            try
            {
                try
                {
                    job.MarkPaid(Actor.User(job.CustomerId), call.Amount, call.HoldId!, now);
                    payment.Capture(call.HoldId!, call.Amount, now);
                }
                catch (JobRuleException)
                {
                    // Given back only once this change commits: should a request record the capture first, this change
                    // loses its race and nothing is refunded.
                    log.LogWarning("Refunding capture {Key}: job {JobId} is {Status} and can no longer be paid.", call.IdempotencyKey, job.Id, job.Status);
                    refund = payments.JournalRefund(store, job.Id, call.HoldId!, call.Amount);
                    payment.RecordRefundedCapture(call.HoldId!, call.Amount, now, await store.ReplacementCardAsync(payment, call.HoldId!, ct));
                    job.RecordPaymentUpdate(PaymentStatus.Refunded, null, "The payment was given back: the job can no longer be paid.", now);
                }

                await jobs.SaveAsync(job, ct);
                if (refund is not null)
                {
                    await payments.SettleJournaledAsync(store, refund, ct);
                }
            }
            catch (ConcurrencyConflict)
            {
                // A request changed the job or its payment meanwhile: the next sweep looks again.
                log.LogInformation("Capture {Key} of job {JobId} stays for the next sweep: the job changed meanwhile.", call.IdempotencyKey, call.JobId);
            }
            catch (ApiProblem refused)
            {
                log.LogWarning("Refund of capture {Key} of job {JobId} stays for the next sweep: {Reason}", call.IdempotencyKey, call.JobId, refused.Message);
            }

            store.Forget();
        }
    }

    private async Task<GatewayResult> RepeatAsync(PaymentCall call, CancellationToken ct)
    {
        var job = await db.Jobs.AsNoTracking().FirstAsync(j => j.Id == call.JobId, ct);
        return call.Operation switch
        {
            "authorize" => await gateway.AuthorizeAsync(new AuthorizeRequest(job.CustomerId, call.PaymentMethod!, call.Amount, job.Currency, job.Id, call.IdempotencyKey), ct),
            "increase" or "reauthorize" => await gateway.IncreaseAsync(new ChangeAmountRequest(call.HoldId!, job.CustomerId, call.PaymentMethod!, call.Amount, job.Currency, job.Id, call.IdempotencyKey, call.Operation == "reauthorize"), ct),
            "capture" => await gateway.CaptureAsync(new CaptureRequest(call.HoldId!, call.Amount, call.IdempotencyKey), ct),
            "void" => await gateway.VoidAsync(new HoldRequest(call.HoldId!, call.IdempotencyKey), ct),
            "refund" => await gateway.RefundAsync(new RefundRequest(call.HoldId!, call.Amount, call.IdempotencyKey), ct),
            _ => throw new InvalidOperationException($"Unknown payment operation {call.Operation}."),
        };
    }
}
