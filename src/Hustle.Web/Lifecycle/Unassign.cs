using Hustle.Domain.Jobs;
using Hustle.Web.Offers;
using Hustle.Web.Infrastructure;
using Hustle.Web.Jobs;
using Hustle.Web.Payments;

namespace Hustle.Web.Lifecycle;

/// <summary>
/// Before the start code, either party can call the match off: the hold is voided (not refunded) and the job reopens.
/// The void comes after the commit: voiding first would leave a job without money if the start code won the race.
/// </summary>
public static class Unassign
{
    public static async Task<JobResponse> Handle(string id, ReasonRequest? body, CurrentUser me, JobStore jobs, JobPayments payments, TimeProvider clock, ILogger<JobPayments> log, CancellationToken ct)
    {
        new RequestRules().Text("reason", body?.Reason, 1000, required: false, multiline: true).ThrowIfAny();
        var job = await jobs.GetForParticipantAsync(id, me.Id, ct);
        job.EnsureAllowed(JobAction.Unassign, job.RoleOf(me.Id));
        var payment = await JobPayments.LoadAsync(jobs.Db, job.Id, ct);
        var (holdId, held) = (payment.HoldId!, payment.AuthorizedAmount);
        job.Unassign(me.Actor, body?.Reason, clock.GetUtcNow());

        // Once committed no hold is the job's: should the void below not happen, the reconciler voids the orphan.
        payment.HoldId = null;
        payment.VoidedAmount += held;
        payment.AuthorizedAmount = 0;
        payment.UpdatedAt = clock.GetUtcNow();
        var answer = await jobs.SaveAsync(job, () => JobViews.For(job, me.Id), ct);

        try
        {
            await payments.VoidAsync(job.Id, holdId, held, ct);
        }
        catch (ApiProblem refused)
        {
            log.LogWarning("Void of hold {HoldId} after unassigning job {JobId} failed ({Reason}); the reconciler repeats it.", holdId, job.Id, refused.Message);
        }

        return answer;
    }
}
