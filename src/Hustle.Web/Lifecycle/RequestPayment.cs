using Hustle.Web.Infrastructure;
using Hustle.Web.Jobs;

namespace Hustle.Web.Lifecycle;

public sealed record RequestPaymentRequest(int? BillableMinutes);

/// <summary>The hustler asks to be paid; on an hourly job they may bill fewer minutes than the clock gave.</summary>
public static class RequestPayment
{
    public static async Task<JobResponse> Handle(string id, RequestPaymentRequest? body, CurrentUser me, JobStore jobs, TimeProvider clock, CancellationToken ct)
    {
        var job = await jobs.GetForParticipantAsync(id, me.Id, ct);
        job.RequestPayment(me.Actor, body?.BillableMinutes, clock.GetUtcNow());
        return await jobs.SaveAsync(job, () => JobViews.For(job, me.Id), ct);
    }
}
