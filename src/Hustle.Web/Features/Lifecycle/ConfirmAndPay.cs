using Hustle.Domain.Jobs;
using Hustle.Web.Infrastructure;
using Hustle.Web.Jobs;
using Hustle.Web.Payments;

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
