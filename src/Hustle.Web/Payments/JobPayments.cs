using System.Linq.Expressions;
using System.Security.Cryptography;
using System.Text;
using Hustle.Domain.Jobs;
using Hustle.Web.Data;
using Hustle.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace Hustle.Web.Payments;

/// <summary>
/// The one way money moves. Every movement (accept, price change, confirm, unassign and cancel, dispute resolution,
/// expiry, renewal, the reconciler) records its intent in the journal (<see cref="PaymentCall"/>) and commits it,
/// calls the gateway with a key derived from the operation, records the outcome on the call and lets the caller
/// record it on the <see cref="Payment"/> inside its transition. Money taken before the change (a hold, a capture)
/// is journaled in a transaction of its own and, if the change then loses a race, undone by
/// <see cref="CompensateAsync"/> or a refund; money given back after the change (a void) is journaled inside the
/// change's transaction and called after its commit (<see cref="JournalVoid"/>). Calls left <c>Started</c> by a
/// crash are repeated with the same key by <see cref="PaymentReconciler"/>.
/// </summary>
public sealed class JobPayments(IPaymentGateway gateway, IDbContextFactory<HustleDb> contexts, TimeProvider clock, ILogger<JobPayments> log)
{
    /// <summary>From the accepted offer until it is paid, a job needs money on hold; before and after, none.</summary>
    private static readonly Expression<Func<Job, bool>> NeedsHold = j =>
        j.Status == JobStatus.Scheduled || j.Status == JobStatus.InProgress || j.Status == JobStatus.CompletedByHustler || j.Status == JobStatus.AwaitingCustomerConfirm;

    /// <summary>How often a conditional update of the payment is tried again after losing to another change.</summary>
    private const int MaxRecordAttempts = 10;

    public string Provider => gateway.Name;

    public static string AuthorizeKey(Job job, string offerId, string paymentMethod) =>
        $"job/{job.Id}/authorize/{offerId}/v{job.Version}/{ShortHash(paymentMethod)}";

    /// <summary>Per hold and attempt: a capture on a hold that replaced another never reuses the key of one made on the old hold.</summary>
    public static string CaptureKey(Job job, string holdId) => $"job/{job.Id}/capture/{holdId}/v{job.CaptureAttempt + 1}";

    /// <summary>A capture is refunded in full at most once, whoever (the request that lost, the reconciler) gets there first.</summary>
    public static string RefundCaptureKey(string jobId, string holdId) => $"job/{jobId}/refund/{holdId}/capture";

    public static string VoidKey(string jobId, string holdId) => $"job/{jobId}/void/{holdId}";

    public Task<GatewayResult> AuthorizeAsync(Job job, string offerId, string customerId, string paymentMethod, long amount, CancellationToken ct) =>
        RunAsync(job.Id, "authorize", AuthorizeKey(job, offerId, paymentMethod), amount, holdId: null, paymentMethod,
            (g, key) => g.AuthorizeAsync(new AuthorizeRequest(customerId, paymentMethod, amount, job.Currency, job.Id, key), ct), ct);

    public Task<GatewayResult> IncreaseAsync(Job job, Payment payment, long newAmount, string keySuffix, CancellationToken ct) =>
        RunAsync(job.Id, "increase", $"job/{job.Id}/increase/{keySuffix}", newAmount, payment.HoldId, payment.PaymentMethod,
            (g, key) => g.IncreaseAsync(new ChangeAmountRequest(payment.HoldId!, job.CustomerId, payment.PaymentMethod!, newAmount, job.Currency, job.Id, key), ct), ct);

    /// <summary>
    /// A fresh hold for the current amount on <paramref name="paymentMethod"/>, replacing the current hold (the
    /// provider voids it): a renewal before a lapse, or a move to the customer's new card after a capture failed.
    /// </summary>
    public Task<GatewayResult> ReauthorizeAsync(Job job, Payment payment, string paymentMethod, long amount, string keySuffix, CancellationToken ct) =>
        RunAsync(job.Id, "reauthorize", $"job/{job.Id}/reauthorize/{keySuffix}", amount, payment.HoldId, paymentMethod,
            (g, key) => g.IncreaseAsync(new ChangeAmountRequest(payment.HoldId!, job.CustomerId, paymentMethod, amount, job.Currency, job.Id, key, ForceNewHold: true), ct), ct);

    public Task<GatewayResult> CaptureAsync(Job job, Payment payment, long amount, CancellationToken ct) =>
        RunAsync(job.Id, "capture", CaptureKey(job, payment.HoldId!), amount, payment.HoldId, null,
            (g, key) => g.CaptureAsync(new CaptureRequest(payment.HoldId!, amount, key), ct), ct);

    public Task<GatewayResult> VoidAsync(string jobId, string holdId, long amount, CancellationToken ct) =>
        RunAsync(jobId, "void", VoidKey(jobId, holdId), amount, holdId, null,
            (g, key) => g.VoidAsync(new HoldRequest(holdId, key), ct), ct);

    /// <summary>
    /// A void written to the journal in the caller's unit of work, so it commits or rolls back with the transition that
    /// gives the hold up; <see cref="SettleJournaledAsync"/> makes the call once that committed. A process that
    /// stops in between leaves the call <c>Started</c>, and <c>PaymentReconciler</c> repeats it with the same key.
    /// </summary>
    public PaymentCall JournalVoid(PaymentStore store, string jobId, string holdId, long amount)
    {
        var entry = new PaymentCall { JobId = jobId, Operation = "void", IdempotencyKey = VoidKey(jobId, holdId), Amount = amount, HoldId = holdId, StartedAt = clock.GetUtcNow() };
        store.Journal(entry);
        return entry;
    }

    /// <summary>
    /// Journals giving a capture back in full inside the caller's change (the job can no longer be paid), to be called
    /// with <see cref="SettleJournaledAsync"/> after that change commits: a change that loses its race gives nothing back.
    /// </summary>
    public PaymentCall JournalRefund(PaymentStore store, string jobId, string holdId, long amount)
    {
        var entry = new PaymentCall { JobId = jobId, Operation = "refund", IdempotencyKey = RefundCaptureKey(jobId, holdId), Amount = amount, HoldId = holdId, StartedAt = clock.GetUtcNow() };
        store.Journal(entry);
        return entry;
    }

    /// <summary>
    /// Makes a call journaled inside a change once that change has committed. The change stands whatever the provider
    /// answers: a refused or unanswered call is logged and left <c>Started</c> in the journal, and the reconciler repeats it.
    /// </summary>
    public async Task SettleAfterCommitAsync(PaymentStore store, PaymentCall entry)
    {
        try
        {
            await SettleJournaledAsync(store, entry, CancellationToken.None);
        }
        catch (ApiProblem refused)
        {
            log.LogWarning("{Operation} of hold {HoldId} for job {JobId} failed after its change committed ({Reason}); the reconciler repeats it.", entry.Operation, entry.HoldId, entry.JobId, refused.Message);
        }
    }

    /// <summary>Makes a call journaled inside a committed change (a void or a refund); unanswered, the reconciler repeats it.</summary>
    public Task<GatewayResult> SettleJournaledAsync(PaymentStore store, PaymentCall entry, CancellationToken ct) =>
        SettleAsync(entry, store.SaveAsync, () => entry.Operation == "refund"
            ? gateway.RefundAsync(new RefundRequest(entry.HoldId!, entry.Amount, entry.IdempotencyKey), ct)
            : gateway.VoidAsync(new HoldRequest(entry.HoldId!, entry.IdempotencyKey), ct), ct);

    /// <summary>
    /// Undoes a hold whose transition did not commit. The hold is left alone when the committed job uses it (a
    /// racing request with the same key got the same hold and won, or an incremental authorization grew it: then
    /// the payment records the larger amount). A hold that replaced the job's current one is kept instead of voided
    /// while the job still needs money on hold: the provider already voided the old hold, and voiding both would
    /// leave the job with nothing held (it then holds more than it agreed, and a capture takes only what is due).
    /// Either change is one conditional update on the version of the payment that was read, and only while the job
    /// still needs a hold; if anything committed in between, the decision is made again on what is there now. A job
    /// that no longer needs a hold (paid, cancelled, reopened), or whose record moved on to another hold, gets the
    /// hold voided. A kept replacement starts the record over on it, as <see cref="Payment.Replace"/> does: nothing of
    /// it is captured or refunded (what was refunded of the hold it replaced is not this hold's).
    /// </summary>
    public async Task CompensateAsync(string jobId, GatewayResult hold, CancellationToken ct)
    {
        if (hold.HoldId is null)
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var holding = db.Jobs.Where(j => j.Id == jobId).Where(NeedsHold);
        for (var attempt = 1; attempt <= MaxRecordAttempts; attempt++)
        {
            var payment = await db.Set<Payment>().AsNoTracking().FirstOrDefaultAsync(p => p.JobId == jobId, ct);
            var needsHold = await holding.AnyAsync(ct);
            if (payment?.HoldId == hold.HoldId)
            {
                if (!needsHold || hold.Amount <= payment.AuthorizedAmount
                    || await UpdateIfUnchangedAsync(db, payment, holding, u => u.SetProperty(p => p.AuthorizedAmount, hold.Amount), ct))
                {
                    return;
                }

                continue;
            }

            var replacement = payment is { HoldId: { } current } && needsHold
                ? await db.Set<PaymentCall>().AsNoTracking()
                    .Where(c => c.JobId == jobId && c.HoldId == hold.HoldId && c.ReplacedHoldId == current && (c.State == PaymentCallState.Succeeded || c.State == PaymentCallState.Orphaned))
                    .FirstOrDefaultAsync(ct)
                : null;
            if (payment is null || replacement is null)
            {
                var voided = await VoidAsync(jobId, hold.HoldId, hold.Amount, CancellationToken.None);
                await MarkCompensatedAsync(db, jobId, hold.HoldId, voided.Succeeded, CancellationToken.None);
                return;
            }

            var method = replacement.PaymentMethod ?? payment.PaymentMethod;
            var expires = hold.HoldExpiresAt ?? payment.HoldExpiresAt;
            if (await UpdateIfUnchangedAsync(db, payment, holding, u => u
                .SetProperty(p => p.HoldId, hold.HoldId)
                .SetProperty(p => p.PaymentMethod, method)
                .SetProperty(p => p.AuthorizedAmount, hold.Amount)
                .SetProperty(p => p.CapturedAmount, 0)
                .SetProperty(p => p.RefundedAmount, 0)
                .SetProperty(p => p.HoldExpiresAt, expires), ct))
            {
                log.LogWarning("Job {JobId} keeps hold {HoldId}: it replaced hold {Current}, which the provider voided.", jobId, hold.HoldId, payment.HoldId);
                return;
            }
        }

        log.LogWarning("Hold {HoldId} of job {JobId} is left to the reconciler: its payment kept changing.", hold.HoldId, jobId);
    }

    /// <summary>
    /// One UPDATE of the payment, applied only if its row is still at the version read and the job still needs a
    /// hold; it moves the version on. False when something committed in between.
    /// </summary>
    private async Task<bool> UpdateIfUnchangedAsync(HustleDb db, Payment read, IQueryable<Job> holding, Action<UpdateSettersBuilder<Payment>> set, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var updated = await db.Set<Payment>()
            .Where(p => p.JobId == read.JobId && p.Version == read.Version && holding.Any())
            .ExecuteUpdateAsync(u =>
            {
                set(u);
                u.SetProperty(p => p.UpdatedAt, now).SetProperty(p => p.Version, p => p.Version + 1);
            }, ct);
        return updated == 1;
    }

    /// <summary>Journals the call, makes it, settles the journal, and turns a refusal into the contract's problem.</summary>
    private async Task<GatewayResult> RunAsync(string jobId, string operation, string key, long amount, string? holdId, string? paymentMethod, Func<IPaymentGateway, string, Task<GatewayResult>> call, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);

        // A hold that was voided because its change never committed must not come back: the provider would replay it
        // for the same key. Retrying the same change after that takes a fresh key (still the same one for racers).
        var burned = await db.Set<PaymentCall>().CountAsync(c => c.JobId == jobId && c.State == PaymentCallState.Compensated && (c.IdempotencyKey == key || c.IdempotencyKey.StartsWith(key + "/retry")), ct);
        key = burned == 0 ? key : $"{key}/retry{burned}";
        var entry = new PaymentCall { JobId = jobId, Operation = operation, IdempotencyKey = key, Amount = amount, HoldId = holdId, PaymentMethod = paymentMethod, StartedAt = clock.GetUtcNow() };
        db.Add(entry);
        await db.SaveChangesAsync(ct);
        return await SettleAsync(entry, db.SaveChangesAsync, () => call(gateway, key), ct);
    }

    /// <summary>
    /// Makes (or repeats, for the reconciler) a journaled call and records its outcome with <paramref name="save"/>.
    /// Should another writer have recorded the outcome first (the reconciler repeating a call still in flight), its
    /// record stands: the provider gave both the same answer for the same key.
    /// </summary>
    public async Task<GatewayResult> SettleAsync(PaymentCall entry, Func<CancellationToken, Task<int>> save, Func<Task<GatewayResult>> call, CancellationToken ct)
    {
        var (jobId, operation, key) = (entry.JobId, entry.Operation, entry.IdempotencyKey);

        GatewayResult result;
        try
        {
            result = await call();
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or TaskCanceledException)
        {
            log.LogWarning(e, "Gateway {Operation} for job {JobId} did not answer; the reconciler will repeat it with key {Key}.", operation, jobId, key);
            throw ApiProblem.PaymentUnavailable();
        }

        var state = result.Outcome switch
        {
            GatewayOutcome.Succeeded => PaymentCallState.Succeeded,
            GatewayOutcome.Declined => PaymentCallState.Declined,
            GatewayOutcome.Failed => PaymentCallState.Failed,
            GatewayOutcome.IdempotencyMismatch => PaymentCallState.IdempotencyMismatch,
            _ => PaymentCallState.Unavailable,
        };
        entry.Settle(state, result.HoldId, result.FailureMessage, clock.GetUtcNow());
        try
        {
            await save(CancellationToken.None);
        }
        catch (DbUpdateConcurrencyException)
        {
            log.LogInformation("The outcome of {Operation} {Key} was recorded by another writer first.", operation, key);
        }

        return result.Outcome switch
        {
            GatewayOutcome.Succeeded => result,
            GatewayOutcome.Failed when operation == "capture" => result,
            GatewayOutcome.Failed => throw ApiProblem.PaymentFailed(result.FailureMessage),
            GatewayOutcome.Declined => throw ApiProblem.PaymentDeclined(result.FailureMessage),
            GatewayOutcome.IdempotencyMismatch => throw ApiProblem.IdempotencyMismatch(),
            _ => throw ApiProblem.PaymentUnavailable(),
        };
    }

    private static async Task MarkCompensatedAsync(HustleDb db, string jobId, string holdId, bool voided, CancellationToken ct)
    {
        if (!voided)
        {
            return;
        }

        for (var attempt = 1; attempt <= MaxRecordAttempts; attempt++)
        {
            var calls = await db.Set<PaymentCall>()
                .Where(c => c.JobId == jobId && c.HoldId == holdId && (c.State == PaymentCallState.Succeeded || c.State == PaymentCallState.Orphaned) && c.Operation != "void")
                .ToListAsync(ct);
            calls.ForEach(c => c.MarkCompensated());
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another writer (a racing compensation, the reconciler) changed these calls meanwhile: read them again;
                // those it already marked are no longer in the list.
                db.ChangeTracker.Clear();
            }
        }
    }

    public static string ShortHash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
}
