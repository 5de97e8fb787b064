using Hustle.Domain.Jobs;
using Hustle.Web.Data;
using Hustle.Web.Infrastructure;
using Hustle.Web.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Features.Jobs;

public sealed record MyJobsResponse(IReadOnlyList<JobResponse> Jobs, long Cursor);

/// <summary>
/// The caller's jobs (as customer, as assigned hustler, or with a pending offer) and the feed seq the list is
/// current to. Every change to any of them writes an event to the caller's feed, so that seq is also the ETag: a
/// repeat with <c>If-None-Match</c> costs one read of the counter and gets 304.
/// </summary>
public static class MyJobs
{
    public static async Task<Results<Ok<MyJobsResponse>, StatusCodeHttpResult>> Handle(HttpContext http, CurrentUser me, HustleDb db, CancellationToken ct)
    {
        var userId = me.Id;
        var cursor = await db.FeedCounters.Where(c => c.UserId == userId).Select(c => (long?)c.LastSeq).FirstOrDefaultAsync(ct) ?? 0;
        var etag = $"\"mine-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(userId)))[..12]}-{cursor}\"";
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = "private, no-cache";
        if (http.Request.Headers.IfNoneMatch.Contains(etag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var jobs = await db.Jobs.AsNoTracking()
            .Include(j => j.Offers)
            .Include(j => j.PriceProposals)
            .AsSplitQuery()
            .Where(j => j.CustomerId == userId || j.HustlerId == userId || j.Offers.Any(o => o.HustlerId == userId && o.Status == OfferStatus.Pending))
            .OrderByDescending(j => j.UpdatedAt)
            .ToListAsync(ct);
        return TypedResults.Ok(new MyJobsResponse([.. jobs.Select(j => JobViews.For(j, userId))], cursor));
    }
}
