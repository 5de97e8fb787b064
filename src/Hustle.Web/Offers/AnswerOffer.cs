using Hustle.Web.Infrastructure;
using Hustle.Web.Jobs;

namespace Hustle.Web.Offers;

public sealed record ReasonRequest(string? Reason);

/// <summary>The offer's hustler withdraws it, or the customer declines it; the job goes back to OPEN when no offer is left.</summary>
public static class AnswerOffer
{
    public static async Task<OfferResponse> Withdraw(string id, CurrentUser me, JobStore jobs, TimeProvider clock, CancellationToken ct)
    {
        var job = await jobs.GetByOfferAsync(id, me.Id, ct);
        var offer = job.WithdrawOffer(id, me.Actor, clock.GetUtcNow());
        return await jobs.SaveAsync(job, () => OfferResponse.From(offer), ct);
    }

    public static async Task<OfferResponse> Decline(string id, ReasonRequest? body, CurrentUser me, JobStore jobs, TimeProvider clock, CancellationToken ct)
    {
        new RequestRules().Text("reason", body?.Reason, 1000, required: false, multiline: true).ThrowIfAny();
        var job = await jobs.GetByOfferAsync(id, me.Id, ct);
        var offer = job.DeclineOffer(id, me.Actor, body?.Reason, clock.GetUtcNow());
        return await jobs.SaveAsync(job, () => OfferResponse.From(offer), ct);
    }
}
