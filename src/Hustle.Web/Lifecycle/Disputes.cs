using Hustle.Domain.Jobs;
using Hustle.Web.Offers;
using Hustle.Web.Infrastructure;
using Hustle.Web.Jobs;
using Hustle.Web.Payments;

namespace Hustle.Web.Lifecycle;

/// <summary>The customer disputes a payment request (which stops auto-confirm); an operator can settle it by cancelling.</summary>
public static class Disputes
{
    public static async Task<JobResponse> Dispute(string id, ReasonRequest? body, CurrentUser me, JobStore jobs, TimeProvider clock, CancellationToken ct)
    {
        new RequestRules().Text("reason", body?.Reason, 1000, required: false, multiline: true).ThrowIfAny();
        var job = await jobs.GetForParticipantAsync(id, me.Id, ct);
        job.Dispute(me.Actor, body?.Reason, clock.GetUtcNow());
        return await jobs.SaveAsync(job, () => JobViews.For(job, me.Id), ct);
    }

    /// <summary>
    /// The cancel and the void's journal entry commit together, under the job's and the payment's version checks; the
    /// void runs only after that. Voiding first would leave a live job on a voided hold if another change won the
    /// race. Should the void not be answered, the reconciler repeats the journaled call with the same key.
    /// </summary>
    public static async Task<JobResponse> ResolveByCancelling(string id, ReasonRequest? body, CurrentUser me, JobStore jobs, PaymentStore store, JobPayments payments, TimeProvider clock, CancellationToken ct)
    {
        new RequestRules().Text("reason", body?.Reason, 1000, required: false, multiline: true).ThrowIfAny();
        // Anyone but an operator is treated as for every other job endpoint: a non-participant gets 404, a party 409.
        var job = me.IsOperator ? await jobs.FindAsync(id, ct) ?? throw ApiProblem.NotFound() : await jobs.GetForParticipantAsync(id, me.Id, ct);
        var actor = me.IsOperator ? Actor.Operator(me.Id) : me.Actor;
        job.EnsureResolvable(actor);

        var payment = await store.GetAsync(job.Id, ct);
        // A hold a racing capture spent has nothing left to release; a capture kept on a cancelled job is the reconciler's to refund.
        var voiding = payment.HoldsUncapturedMoney ? payments.JournalVoid(store, job.Id, payment.HoldId!, payment.AuthorizedAmount) : null;
        job.ResolveDisputeByCancelling(actor, body?.Reason, clock.GetUtcNow());
        if (voiding is not null)
        {
            payment.Release(clock.GetUtcNow());
        }

        var answer = await jobs.SaveAsync(job, () => JobViews.For(job, me.Id), ct);

        if (voiding is not null)
        {
            await payments.SettleAfterCommitAsync(store, voiding);
        }

        return answer;
    }

    /// <summary>For operators: every disputed job still waiting for a decision, oldest first.</summary>
    public static async Task<IReadOnlyList<JobResponse>> ListOpen(CurrentUser me, JobStore jobs, CancellationToken ct)
    {
        var disputed = await jobs.OpenDisputesAsync(200, ct);
        return [.. disputed.Select(j => JobViews.For(j, me.Id))];
    }

    public static async Task<JobResponse> Cancel(string id, ReasonRequest? body, CurrentUser me, JobStore jobs, TimeProvider clock, CancellationToken ct)
    {
        new RequestRules().Text("reason", body?.Reason, 1000, required: false, multiline: true).ThrowIfAny();
        var job = await jobs.GetForParticipantAsync(id, me.Id, ct);
        job.Cancel(me.Actor, body?.Reason, clock.GetUtcNow());
        return await jobs.SaveAsync(job, () => JobViews.For(job, me.Id), ct);
    }
}
