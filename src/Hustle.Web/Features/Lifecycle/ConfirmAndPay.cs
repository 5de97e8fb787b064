using Hustle.Domain.Jobs;
using Hustle.Web.Data;
using Hustle.Web.Infrastructure;
using Hustle.Web.Jobs;
using Hustle.Web.Payments;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Features.Lifecycle;

/// <summary>
/// Capturing the hold, for the customer's confirmation and for auto-confirm alike. Both use the same idempotency
/// key for the same attempt, so racing confirmations capture once; the loser of the commit gets 409.
/// </summary>
public sealed class Capture(JobStore jobs, JobPayments payments, IDbContextFactory<HustleDb> contexts, TimeProvider clock)
{
    public async Task<bool> RunAsync(Job job, Actor actor, CancellationToken ct)
    {
        job.EnsureCanBePaid(actor.Kind == ActorKind.System ? ActorRole.System : job.RoleOf(actor.UserId!));
        var payment = await JobPayments.LoadAsync(jobs.Db, job.Id, ct);
        var replacedHold = await HoldAnewIfNeededAsync(job, payment, ct);
        var amount = Math.Min(job.FinalAmount ?? payment.AuthorizedAmount, payment.AuthorizedAmount);
        var result = await payments.CaptureAsync(job, payment, amount, ct);
        var now = clock.GetUtcNow();
        if (result.Succeeded)
        {
            job.MarkPaid(actor, result.Amount, payment.HoldId!, now);
            payment.CapturedAmount = result.Amount;
            payment.UpdatedAt = now;
        }
        else
        {
            job.RecordCaptureFailure(actor, result.FailureMessage ?? "The capture failed.", now);
        }

        try
        {
            await jobs.SaveAsync(job, ct);
        }
        catch (ApiProblem lost) when (lost.Code == "concurrency_conflict")
        {
            await AfterLostRaceAsync(job.Id, payment, replacedHold, result);
            throw;
        }

        return result.Succeeded;
    }

    /// <summary>
    /// The change this capture attempt paid for lost the race. If a racing confirmation with the same key committed
    /// PAID, it captured the same money: nothing to undo. Otherwise money captured here is refunded (an operator may
    /// have cancelled the job meanwhile), and a replacement hold taken here (the provider already voided the old one)
    /// becomes the job's hold, unless the winner moved the record on.
    /// </summary>
    private async Task AfterLostRaceAsync(string jobId, Payment attempted, string? replacedHold, GatewayResult result)
    {
        await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
        var status = await db.Jobs.AsNoTracking().Where(j => j.Id == jobId).Select(j => j.Status).FirstAsync(CancellationToken.None);
        if (status == JobStatus.Paid)
        {
            return;
        }

        if (result.Succeeded)
        {
            await payments.RefundAsync(jobId, attempted, result.Amount, CancellationToken.None);
            return;
        }

        if (replacedHold is not null)
        {
            // One conditional update: only while the record still names the hold this attempt replaced.
            var now = clock.GetUtcNow();
            await db.Set<Payment>()
                .Where(p => p.JobId == jobId && p.HoldId == replacedHold)
                .ExecuteUpdateAsync(u => u
                    .SetProperty(p => p.HoldId, attempted.HoldId)
                    .SetProperty(p => p.PaymentMethod, attempted.PaymentMethod)
                    .SetProperty(p => p.AuthorizedAmount, attempted.AuthorizedAmount)
                    .SetProperty(p => p.HoldExpiresAt, attempted.HoldExpiresAt)
                    .SetProperty(p => p.UpdatedAt, now), CancellationToken.None);
        }
    }

    /// <summary>
    /// A hold that cannot be captured is replaced before the capture: after a capture failed, when the customer has
    /// saved another card since (an uncaptured hold cannot change card), and when the hold has lapsed (a dispute or
    /// a long job can outlive it). The amount is held anew on the customer's card (the provider voids the old hold,
    /// if still open) and that hold is captured. The new hold is saved with the job's next change, under its version
    /// check, so a racing request can never leave the record pointing at a hold it did not capture; if that change
    /// never commits, the journal has the call and the reconciler voids the orphan.
    /// </summary>
    /// <returns>The id of the hold that was replaced, or null when the hold was kept.</returns>
    private async Task<string?> HoldAnewIfNeededAsync(Job job, Payment payment, CancellationToken ct)
    {
        var card = await jobs.Db.Users.Where(u => u.Id == job.CustomerId).Select(u => u.PaymentMethod).FirstOrDefaultAsync(ct);
        var lapsed = payment.HoldExpiresAt <= clock.GetUtcNow();
        var cardChangedAfterFailure = job.PaymentStatus == PaymentStatus.CaptureFailed && card != payment.PaymentMethod;
        if (card is null || !(lapsed || cardChangedAfterFailure))
        {
            return null;
        }

        var replaced = payment.HoldId;
        var hold = await payments.ReauthorizeAsync(job, payment, card, $"capture-v{job.CaptureAttempt + 1}/{JobPayments.ShortHash(card)}", ct);
        payments.UseReplacementHold(payment, hold, card);
        return replaced;
    }
}

public static class ConfirmAndPay
{
    public static async Task<JobResponse> Handle(string id, CurrentUser me, JobStore jobs, Capture capture, CancellationToken ct)
    {
        var job = await jobs.GetForParticipantAsync(id, me.Id, ct);
        if (!await capture.RunAsync(job, me.Actor, ct))
        {
            throw ApiProblem.PaymentFailed("The payment could not be captured. Change the payment method and confirm again.");
        }

        return JobViews.For(job, me.Id);
    }
}
