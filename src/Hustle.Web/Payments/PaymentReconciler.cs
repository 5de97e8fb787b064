using Hustle.Domain.Jobs;
using Hustle.Web.Data;
using Hustle.Web.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Payments;

/// <summary>
/// Repairs money whose outcome Hustle did not record: a call left <c>Started</c> (the process died between the
/// gateway call and the commit) is repeated with the same idempotency key, so the provider answers what it did the
/// first time without doing it again; then a hold that no committed job uses is voided (or kept, if it replaced
/// the hold of a job that still needs one: <see cref="JobPayments.CompensateAsync"/>), and a capture that succeeded
/// for a job not yet PAID completes the payment. A step that loses a race is left for the next sweep.
/// </summary>
public sealed class PaymentReconciler(HustleDb db, JobPayments payments, IPaymentGateway gateway, JobStore jobs, TimeProvider clock, ILogger<PaymentReconciler> log)
{
    /// <summary>How long a call may be in flight before it is considered abandoned.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    private static readonly string[] HoldTaking = ["authorize", "increase", "reauthorize"];

    public async Task RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var cutoff = now - Grace;
        var since = now - TimeSpan.FromDays(8);

        foreach (var call in await db.Set<PaymentCall>().Where(c => c.State == PaymentCallState.Started && c.StartedAt < cutoff).Take(100).ToListAsync(ct))
        {
            log.LogWarning("Repeating unsettled {Operation} for job {JobId} with key {Key}.", call.Operation, call.JobId, call.IdempotencyKey);
            try
            {
                await payments.SettleAsync(db, call, () => RepeatAsync(call, ct), ct);
            }
            catch (Infrastructure.ApiProblem)
            {
                // Declined or still unreachable: recorded on the call; an unreachable one is tried again next sweep.
            }
        }

        var holds = await db.Set<PaymentCall>().AsNoTracking()
            .Where(c => HoldTaking.Contains(c.Operation) && c.State == PaymentCallState.Succeeded && c.StartedAt < cutoff && c.StartedAt > since && c.HoldId != null)
            .ToListAsync(ct);
        foreach (var call in holds)
        {
            var version = await db.Jobs.AsNoTracking().Where(j => j.Id == call.JobId).Select(j => j.Version).FirstOrDefaultAsync(ct);
            var current = await db.Set<Payment>().AsNoTracking().Where(p => p.JobId == call.JobId).Select(p => p.HoldId).FirstOrDefaultAsync(ct);
            var settled = await db.Set<PaymentCall>().AnyAsync(c => c.HoldId == call.HoldId && c.State == PaymentCallState.Succeeded && (c.Operation == "void" || c.Operation == "capture"), ct)
                || await db.Set<PaymentCall>().AnyAsync(c => c.ReplacedHoldId == call.HoldId && c.State == PaymentCallState.Succeeded, ct);
            if (current != call.HoldId && !settled && await ClaimAsync(call.JobId, version, ct))
            {
                log.LogWarning("Settling hold {HoldId} of job {JobId}: no committed change uses it.", call.HoldId, call.JobId);
                try
                {
                    await payments.CompensateAsync(call.JobId, new GatewayResult(GatewayOutcome.Succeeded, call.HoldId, call.Amount), ct);
                }
                catch (Infrastructure.ApiProblem refused)
                {
                    // The provider refused the void (the hold was captured meanwhile) or did not answer: the next sweep looks again.
                    log.LogWarning("Hold {HoldId} of job {JobId} stays for the next sweep: {Reason}", call.HoldId, call.JobId, refused.Message);
                }
            }
        }

        // No look-back limit here: money taken for a job that does not show it as paid is repaired however late.
        var captures = await db.Set<PaymentCall>().AsNoTracking()
            .Where(c => c.Operation == "capture" && c.State == PaymentCallState.Succeeded && c.StartedAt < cutoff)
            .Where(c => db.Jobs.Any(j => j.Id == c.JobId && j.Status != JobStatus.Paid))
            .Where(c => !db.Set<PaymentCall>().Any(r => r.Operation == "refund" && r.HoldId == c.HoldId && r.State == PaymentCallState.Succeeded))
            .ToListAsync(ct);
        foreach (var call in captures)
        {
            var job = await jobs.FindAsync(call.JobId, ct);
            if (job is null || job.Status is not (JobStatus.CompletedByHustler or JobStatus.AwaitingCustomerConfirm))
            {
                continue;
            }

            var payment = await JobPayments.LoadAsync(db, job.Id, ct);
            job.MarkPaid(Actor.User(job.CustomerId), call.Amount, call.HoldId!, now);
            payment.HoldId = call.HoldId;
            payment.AuthorizedAmount = Math.Max(payment.AuthorizedAmount, call.Amount);
            payment.CapturedAmount = call.Amount;
            payment.UpdatedAt = now;
            try
            {
                await jobs.SaveAsync(job, ct);
            }
            catch (Infrastructure.ApiProblem lost) when (lost.Code == "concurrency_conflict")
            {
                // A request changed the job or its payment meanwhile: the next sweep looks again.
                log.LogInformation("Capture {Key} of job {JobId} stays for the next sweep: the job changed meanwhile.", call.IdempotencyKey, call.JobId);
            }
        }
    }

    /// <summary>
    /// Before a hold no committed change uses is settled, the job's version is moved on, if it is still the one read
    /// with the payment. A change that took the hold and has not committed yet (a slow request, a paused process)
    /// can only commit under the version it read: it then loses and compensates, instead of committing a hold this
    /// sweep is about to void. False when the job changed meanwhile: the next sweep looks again.
    /// </summary>
    private async Task<bool> ClaimAsync(string jobId, int version, CancellationToken ct) =>
        await db.Jobs.Where(j => j.Id == jobId && j.Version == version).ExecuteUpdateAsync(u => u.SetProperty(j => j.Version, j => j.Version + 1), ct) == 1;

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
