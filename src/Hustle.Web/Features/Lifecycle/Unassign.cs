using Hustle.Domain.Jobs;
using Hustle.Web.Features.Offers;
using Hustle.Web.Infrastructure;
using Hustle.Web.Jobs;
using Hustle.Web.Payments;

namespace Hustle.Web.Features.Lifecycle;

/// <summary>Before the start code, either party can call the match off: the hold is voided (not refunded) and the job reopens.</summary>
public static class Unassign
{
    public static async Task<JobResponse> Handle(string id, ReasonRequest? body, CurrentUser me, JobStore jobs, JobPayments payments, TimeProvider clock, CancellationToken ct)
    {
        new RequestRules().Text("reason", body?.Reason, 1000, required: false).ThrowIfAny();
        var job = await jobs.GetForParticipantAsync(id, me.Id, ct);
        job.EnsureAllowed(JobAction.Unassign, job.RoleOf(me.Id));
        var payment = await JobPayments.LoadAsync(jobs.Db, job.Id, ct);
        await payments.VoidAsync(job.Id, payment.HoldId!, payment.AuthorizedAmount, ct);
        job.Unassign(me.Actor, body?.Reason, clock.GetUtcNow());
        payment.VoidedAmount += payment.AuthorizedAmount;
        payment.AuthorizedAmount = 0;
        payment.UpdatedAt = clock.GetUtcNow();
        await jobs.SaveAsync(job, ct);
        return JobViews.For(job, me.Id);
    }
}
