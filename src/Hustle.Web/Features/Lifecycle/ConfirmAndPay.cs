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
        await MoveToNewCardAfterFailureAsync(job, payment, ct);
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
    /// A capture failed on the card the hold sits on, and the customer has since saved another one: an uncaptured
    /// hold cannot change card, so the amount is held anew on the new card (the provider voids the old hold) and that
    /// hold is captured. The new hold is saved at once, so a later attempt and the reconciler see it as the job's.
    /// </summary>
    private async Task MoveToNewCardAfterFailureAsync(Job job, Payment payment, CancellationToken ct)
    {
        if (job.PaymentStatus != PaymentStatus.CaptureFailed)
        {
            return;
        }

        var card = await jobs.Db.Users.Where(u => u.Id == job.CustomerId).Select(u => u.PaymentMethod).FirstOrDefaultAsync(ct);
        if (card is null || card == payment.PaymentMethod)
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
