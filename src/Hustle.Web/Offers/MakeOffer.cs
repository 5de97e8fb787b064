using Hustle.Web.Infrastructure;
using Hustle.Web.Jobs;
using Hustle.Web.Messaging;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hustle.Web.Offers;

public sealed record MakeOfferRequest(long? ProposedAmount, string? Message);

/// <summary>
/// A hustler offers to do someone else's open job, optionally at another price (flat jobs). The offer opens their
/// thread with the customer (if a question has not already), in the same transaction.
/// </summary>
public static class MakeOffer
{
    public static async Task<Created<OfferResponse>> Handle(string id, MakeOfferRequest? body, CurrentUser me, JobStore jobs, ThreadStore threads, TimeProvider clock, CancellationToken ct)
    {
        new RequestRules()
            .Money("proposedAmount", body?.ProposedAmount, required: false)
            .Text("message", body?.Message, 1000, required: false, multiline: true)
            .ThrowIfAny();
        var job = await jobs.GetForParticipantAsync(id, me.Id, ct);
        var offer = job.MakeOffer(Ids.New("off"), me.Actor, body?.ProposedAmount, body?.Message?.Trim() is { Length: > 0 } m ? m : null, clock.GetUtcNow());
        return await jobs.SaveAsync(job, () => TypedResults.Created($"/api/offers/{offer.Id}", OfferResponse.From(offer)), ct, () => threads.OpenAsync(job.Id, job.CustomerId, me.Id, ct));
    }
}
