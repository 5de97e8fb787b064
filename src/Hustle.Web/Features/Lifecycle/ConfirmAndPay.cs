using Hustle.Domain.Jobs;
using Hustle.Web.Infrastructure;
using Hustle.Web.Jobs;
using Hustle.Web.Payments;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Features.Lifecycle;

/// <summary>
/// Capturing the hold, for the customer's confirmation and for auto-confirm alike. Both use the same idempotency
/// key for the same attempt, so racing confirmations capture once; the loser of the commit gets 409.
/// </summary>
public sealed class Capture(JobStore jobs, JobPayments payments, TimeProvider clock)
{
    public async Task<bool> RunAsync(Job job, Actor actor, CancellationToken ct)
    {
        job.EnsureCanBePaid(actor.Kind == ActorKind.System ? ActorRole.System : job.RoleOf(actor.UserId!));
        var payment = await JobPayments.LoadAsync(jobs.Db, job.Id, ct);
        await HoldAnewIfNeededAsync(job, payment, ct);
        var amount = Math.Min(job.FinalAmount ?? payment.AuthorizedAmount, payment.AuthorizedAmount);
        var result = await payments.CaptureAsync(job, payment, amount, ct);
        var now = clock.GetUtcNow();
        if (!result.Succeeded)
        {
            job.RecordCaptureFailure(actor, result.FailureMessage ?? "The capture failed.", now);
            await jobs.SaveAsync(job, ct);
            return false;
        }

        job.MarkPaid(actor, result.Amount, payment.HoldId!, now);
        payment.CapturedAmount = result.Amount;
        payment.UpdatedAt = now;
        await jobs.SaveAsync(job, ct);
        return true;
    }

    /// <summary>
    /// A hold that cannot be captured is replaced before the capture: after a capture failed, when the customer has
    /// saved another card since (an uncaptured hold cannot change card), and when the hold has lapsed (a dispute or
    /// a long job can outlive it). The amount is held anew on the customer's card (the provider voids the old hold,
    /// if still open) and that hold is captured. It is saved at once, so later attempts and the reconciler see it.
    /// </summary>
    private async Task HoldAnewIfNeededAsync(Job job, Payment payment, CancellationToken ct)
    {
        var card = await jobs.Db.Users.Where(u => u.Id == job.CustomerId).Select(u => u.PaymentMethod).FirstOrDefaultAsync(ct);
        var lapsed = payment.HoldExpiresAt <= clock.GetUtcNow();
        var cardChangedAfterFailure = job.PaymentStatus == PaymentStatus.CaptureFailed && card != payment.PaymentMethod;
        if (card is null || !(lapsed || cardChangedAfterFailure))
        {
            return;
        }

        var hold = await payments.ReauthorizeAsync(job, payment, card, $"capture-v{job.CaptureAttempt + 1}/{JobPayments.ShortHash(card)}", ct);
        payments.UseReplacementHold(payment, hold, card);
        await jobs.Db.SaveChangesAsync(ct);
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
