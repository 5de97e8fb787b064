using Hustle.Domain.Jobs;
using Hustle.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Payments;

/// <summary>
/// The payment records of a request's unit of work. It shares the request's database context with
/// <see cref="Jobs.JobStore"/>, so a payment loaded here is saved with the job's transition, under both version checks.
/// </summary>
public sealed class PaymentStore(HustleDb db)
{
    /// <summary>The job's payment record, tracked so it saves with the transition.</summary>
    public async Task<Payment> GetAsync(string jobId, CancellationToken ct) =>
        await FindAsync(jobId, ct) ?? throw new InvalidOperationException($"Job {jobId} has no payment record.");

    public Task<Payment?> FindAsync(string jobId, CancellationToken ct) => db.Set<Payment>().FirstOrDefaultAsync(p => p.JobId == jobId, ct);

    /// <summary>The payment whose current hold is <paramref name="holdId"/> (the provider names only the hold).</summary>
    public Task<Payment?> FindByHoldAsync(string holdId, CancellationToken ct) => db.Set<Payment>().FirstOrDefaultAsync(p => p.HoldId == holdId, ct);

    /// <summary>The job's payment record, or a new one (a first accept) added to the unit of work.</summary>
    public async Task<Payment> GetOrOpenAsync(Job job, string provider, CancellationToken ct)
    {
        var payment = await FindAsync(job.Id, ct);
        if (payment is null)
        {
            payment = new Payment { JobId = job.Id, Provider = provider, Currency = job.Currency };
            db.Add(payment);
        }

        return payment;
    }

    /// <summary>The payment method the customer has on file now.</summary>
    public Task<string?> CardOnFileAsync(string customerId, CancellationToken ct) =>
        db.Users.Where(u => u.Id == customerId).Select(u => u.PaymentMethod).FirstOrDefaultAsync(ct);

    /// <summary>The journal's calls about one hold (taken, replaced, voided, captured or refunded), unread by the unit of work.</summary>
    public async Task<List<PaymentCall>> CallsAboutHoldAsync(string jobId, string holdId, CancellationToken ct) =>
        await db.Set<PaymentCall>().AsNoTracking().Where(c => c.JobId == jobId && (c.HoldId == holdId || c.ReplacedHoldId == holdId)).ToListAsync(ct);

    /// <summary>A capture of another hold of the job is in flight, or went through and was not given back.</summary>
    public Task<bool> IsCaptureUnderwayOnAnotherHoldAsync(string jobId, string holdId, CancellationToken ct) =>
        db.Set<PaymentCall>().AnyAsync(c => c.JobId == jobId && c.Operation == "capture" && c.HoldId != holdId
            && (c.State == PaymentCallState.Started || c.State == PaymentCallState.Succeeded)
            && !db.Set<PaymentCall>().Any(r => r.JobId == jobId && r.Operation == "refund" && r.HoldId == c.HoldId && r.State == PaymentCallState.Succeeded), ct);

    /// <summary>
    /// The outcome of a capture of <paramref name="holdId"/> is settled: the payment records it as kept (a racer with the
    /// same key committed it), or a committed change journaled its refund (the journal's refunds commit with their change).
    /// A lost capture is then neither recorded nor refunded again.
    /// </summary>
    public async Task<bool> IsCaptureSettledAsync(Payment payment, string holdId, CancellationToken ct) =>
        payment.Keeps(holdId) || await db.Set<PaymentCall>().AnyAsync(c => c.JobId == payment.JobId && c.Operation == "refund" && c.HoldId == holdId, ct);

    /// <summary>The card of <paramref name="holdId"/> if it was taken in place of the payment's current hold (which the provider then voided).</summary>
    public Task<string?> ReplacementCardAsync(Payment payment, string holdId, CancellationToken ct) =>
        db.Set<PaymentCall>().AsNoTracking()
            .Where(c => c.JobId == payment.JobId && c.HoldId == holdId && c.ReplacedHoldId != null && c.ReplacedHoldId == payment.HoldId
                && (c.State == PaymentCallState.Succeeded || c.State == PaymentCallState.Orphaned))
            .Select(c => c.PaymentMethod ?? payment.PaymentMethod)
            .FirstOrDefaultAsync(ct);

    /// <summary>Adds a journal entry to the unit of work, so it commits (or not) with the transition.</summary>
    public void Journal(PaymentCall call) => db.Add(call);

    /// <summary>Saves what the unit of work holds beyond a job's transition (a journal outcome, a webhook's record).</summary>
    public Task<int> SaveAsync(CancellationToken ct) => db.SaveChangesAsync(ct);

    public Task<bool> IsWebhookEventRecordedAsync(string eventId, CancellationToken ct) =>
        db.Set<Stripe.StripeWebhookEvent>().AsNoTracking().AnyAsync(e => e.Id == eventId, ct);

    /// <summary>Adds the record of a provider's event to the unit of work (saved with the change it causes, if any).</summary>
    public void Add(Stripe.StripeWebhookEvent record) => db.Add(record);

    /// <summary>Forgets what the unit of work tracks, after a save lost a race.</summary>
    public void Forget() => db.ChangeTracker.Clear();
}
