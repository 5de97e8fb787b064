using Hustle.Web.Infrastructure;
using Hustle.Web.Jobs;

namespace Hustle.Web.Features.Offers;

/// <summary>The customer sees every offer on the job; a hustler only their own.</summary>
public static class ListOffers
{
    public static async Task<IReadOnlyList<OfferResponse>> Handle(string id, CurrentUser me, JobStore jobs, CancellationToken ct)
    {
        var job = await jobs.GetForParticipantAsync(id, me.Id, ct);
        return [.. job.Offers
            .Where(o => job.CustomerId == me.Id || o.HustlerId == me.Id)
            .OrderBy(o => o.CreatedAt)
            .Select(OfferResponse.From)];
    }
}
