using Hustle.Web.Infrastructure;
using Hustle.Web.Jobs;

namespace Hustle.Web.Offers;

/// <summary>The customer sees every offer on the job; a hustler only their own. Oldest first (id as tie-break), a page at a time.</summary>
public static class ListOffers
{
    public static async Task<IReadOnlyList<OfferResponse>> Handle(string id, int? limit, string? after, HttpContext http, CurrentUser me, JobStore jobs, CancellationToken ct)
    {
        var take = Paging.Limit(limit);
        var from = Paging.Read(after);
        var job = await jobs.GetForParticipantAsync(id, me.Id, ct);
        var offers = (await jobs.AllOffersAsync(job.Id, ct))
            .Where(o => job.CustomerId == me.Id || o.HustlerId == me.Id)
            .Select(o => (Offer: o, Key: Paging.KeyOf(o.CreatedAt, o.Id)))
            .Where(o => from is not { } key || o.Key.At > key.At || (o.Key.At == key.At && string.CompareOrdinal(o.Key.Id, key.Id) > 0))
            .OrderBy(o => o.Key.At)
            .ThenBy(o => o.Key.Id, StringComparer.Ordinal)
            .Take(take + 1)
            .ToList();
        Paging.Cut(http, offers, take, o => o.Key);
        return [.. offers.Select(o => OfferResponse.From(o.Offer))];
    }
}
