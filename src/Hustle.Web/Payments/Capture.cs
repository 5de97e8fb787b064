using Hustle.Domain.Jobs;
using Hustle.Web.Infrastructure;
using Hustle.Web.Jobs;

namespace Hustle.Web.Payments;

/// <summary>
/// Capturing the hold, for the customer's confirmation and for auto-confirm alike. Both use the same idempotency
/// key for the same hold and attempt, so racing confirmations capture once; the loser of the commit gets 409.
/// </summary>
public sealed class Capture(JobStore jobs, PaymentStore store, JobPayments payments, TimeProvider clock, ILogger<Capture> log)
{
    /// <summary>How often recording a capture that went through is tried again after losing to another change.</summary>
    private const int MaxRecordAttempts = 10;

    /// <summary>
    /// Captures and records the outcome on the job. <paramref name="answer"/> turns the outcome into the request's
    /// answer inside the job's transaction, so a keyed confirmation cut off after its commit replays that answer.
    /// </summary>
    public async Task<T> RunAsync<T>(Job job, Actor actor, Func<bool, T> answer, CancellationToken ct)
    {
        job.EnsureCanBePaid(actor.Kind == ActorKind.System ? ActorRole.System : job.RoleOf(actor.UserId!));
        var payment = await store.GetAsync(job.Id, ct);
        if (payment.CapturedAmount > payment.RefundedAmount)
        {
            // The payment was read after the job: a racing confirmation captured and kept the money in between. Its
            // commit makes this one's lose anyway; taking a new hold for it would only leave a stray hold behind.
            throw ApiProblem.Concurrency();
        }

        var replacement = await HoldAnewIfNeededAsync(job, payment, ct);
        if (await store.IsCaptureUnderwayOnAnotherHoldAsync(job.Id, payment.HoldId!, ct))
        {
            // A racing confirmation is capturing the hold this one replaced: capturing this one too would take the
            // money twice. Its new hold is left to the reconciler, which voids it unless the job comes to use it.
            throw ApiProblem.Concurrency();
        }

        var amount = Math.Min(job.FinalAmount ?? payment.AuthorizedAmount, payment.AuthorizedAmount);
        var result = await payments.CaptureAsync(job, payment, amount, ct);
        var now = clock.GetUtcNow();
        if (result.Succeeded)
        {
            job.MarkPaid(actor, result.Amount, payment.HoldId!, now);
            payment.Capture(payment.HoldId!, result.Amount, now);
        }
        else
        {
            job.RecordCaptureFailure(actor, result.FailureMessage ?? "The capture failed.", now);
        }

        try
        {
            return await jobs.SaveAsync(job, () => answer(result.Succeeded), ct);
        }
        catch (ConcurrencyConflict)
        {
            if (result.Succeeded)
            {
                await RecordLostCaptureAsync(job.Id, actor, result);
            }
            else if (replacement is not null)
            {
                // The provider voided the old hold for this one: the job keeps it if it still needs a hold, else it is voided.
                await payments.CompensateAsync(job.Id, replacement, CancellationToken.None);
            }

            throw;
        }
    }

    /// <summary>
    /// The capture went through but the change recording it lost a race (another confirmation, a dispute, the
    /// reconciler adopting a new hold, an operator's cancel). The job is read again: if a racing confirmation with
    /// the same key committed PAID, it captured the same money and nothing is left to do; if the job can still be
    /// paid by the same actor, the capture is recorded on it (under its version check, again if it loses again);
    /// otherwise (cancelled, or disputed before auto-confirm) the money is refunded and the hold is spent, so a later
    /// confirmation holds the money anew. A capture already settled (recorded as kept, or given back) is left as it is.
    /// </summary>
    private async Task RecordLostCaptureAsync(string jobId, Actor actor, GatewayResult captured)
    {
        for (var attempt = 1; attempt <= MaxRecordAttempts; attempt++)
        {
            store.Forget();
            var job = await jobs.FindAsync(jobId, CancellationToken.None) ?? throw new InvalidOperationException($"Job {jobId} is gone.");
            if (job.Status == JobStatus.Paid)
            {
                return;
            }

            // The payment is read by a second statement: on PostgreSQL (READ COMMITTED) it can show a commit the job
            // read above does not. Whatever committed after the job was read makes the save below lose; what the
            // payment or the journal already shows is settled here: a capture a racer with the same key recorded as
            // kept (its commit came between the two reads) is never refunded, and a capture a committed change gave
            // back is never recorded as kept (that change may have moved the record to another hold since).
            var payment = await store.GetAsync(jobId, CancellationToken.None);
            if (await store.IsCaptureSettledAsync(payment, captured.HoldId!, CancellationToken.None))
            {
                return;
            }

            var now = clock.GetUtcNow();
            PaymentCall? refund = null;
            try
            {
                job.MarkPaid(actor, captured.Amount, captured.HoldId!, now);
                payment.Capture(captured.HoldId!, captured.Amount, now);
            }
            catch (JobRuleException)
            {
                // Given back only once this change commits, so a racer that records the capture first keeps the money.
                refund = payments.JournalRefund(store, jobId, captured.HoldId!, captured.Amount);
                payment.RecordRefundedCapture(captured.HoldId!, captured.Amount, now, await store.ReplacementCardAsync(payment, captured.HoldId!, CancellationToken.None));
                job.RecordPaymentUpdate(PaymentStatus.Refunded, null, "The payment was given back: the job changed while it was being captured.", now);
            }

            try
            {
                await jobs.SaveAsync(job, CancellationToken.None);
            }
            catch (ConcurrencyConflict)
            {
                // Something else committed first: read the job again.
                continue;
            }

            if (refund is not null)
            {
                await payments.SettleAfterCommitAsync(store, refund);
            }

            return;
        }

        log.LogWarning("Capture of hold {HoldId} for job {JobId} is left to the reconciler: the job kept changing.", captured.HoldId, jobId);
    }

    /// <summary>
    /// A hold that cannot be captured is replaced before the capture: after a capture failed, when the customer has
    /// saved another card since (an uncaptured hold cannot change card), when the hold has lapsed (a dispute or a
    /// long job can outlive it), and when it is spent (its capture was given back). The amount is held anew on the
    /// customer's card (the provider voids the old hold, if still open) and that hold is captured. The new hold is
    /// saved with the job's next change, under its version check, so a racing request can never leave the record
    /// pointing at a hold it did not capture; if that change never commits, the journal has the call and the
    /// reconciler settles the orphan.
    /// </summary>
    /// <returns>The new hold, or null when the hold was kept.</returns>
    private async Task<GatewayResult?> HoldAnewIfNeededAsync(Job job, Payment payment, CancellationToken ct)
    {
        var card = await store.CardOnFileAsync(job.CustomerId, ct);
        var lapsed = payment.HoldExpiresAt <= clock.GetUtcNow();
        var cardChangedAfterFailure = job.PaymentStatus == PaymentStatus.CaptureFailed && card != payment.PaymentMethod;
        if (card is null || !(lapsed || cardChangedAfterFailure || !payment.CanCapture))
        {
            return null;
        }

        var amount = Math.Max(job.AuthorizedAmount ?? 0, payment.AuthorizedAmount);
        var hold = await payments.ReauthorizeAsync(job, payment, card, amount, $"{payment.HoldId}/capture-v{job.CaptureAttempt + 1}/{JobPayments.ShortHash(card)}", ct);
        payment.Replace(hold, card, clock.GetUtcNow());
        return hold;
    }
}
