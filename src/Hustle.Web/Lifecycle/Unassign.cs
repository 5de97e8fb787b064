using Hustle.Domain.Jobs;
using Hustle.Web.Offers;
using Hustle.Web.Infrastructure;
using Hustle.Web.Jobs;
using Hustle.Web.Payments;

namespace Hustle.Web.Lifecycle;

/// <summary>
/// Before the start code, either party can call the match off: the hold is voided (not refunded) and the job reopens.
/// The void is journaled with the change and made after the commit: voiding first would leave a job without money if
/// the start code won the race. Should the void not be answered, the reconciler repeats it with the same key.
/// </summary>
public static class Unassign
{
    public static async Task<JobResponse> Handle(string id, ReasonRequest? body, CurrentUser me, JobStore jobs, PaymentStore store, JobPayments payments, TimeProvider clock, CancellationToken ct)
    {
        new RequestRules().Text("reason", body?.Reason, 1000, required: false, multiline: true).ThrowIfAny();
        var job = await jobs.GetForParticipantAsync(id, me.Id, ct);
        job.EnsureAllowed(JobAction.Unassign, job.RoleOf(me.Id));
        var payment = await store.GetAsync(job.Id, ct);
        // A hold a racing capture spent has nothing left to release; a capture kept on a cancelled job is the reconciler's to refund.
        var voiding = payment.HoldsUncapturedMoney ? payments.JournalVoid(store, job.Id, payment.HoldId!, payment.AuthorizedAmount) : null;
        job.Unassign(me.Actor, body?.Reason, clock.GetUtcNow());
        if (voiding is not null)
        {
            payment.GiveUpHold(clock.GetUtcNow());
        }

        var answer = await jobs.SaveAsync(job, () => JobViews.For(job, me.Id), ct);

        if (voiding is not null)
        {
            await payments.SettleAfterCommitAsync(store, voiding);
        }

        return answer;
    }
}
