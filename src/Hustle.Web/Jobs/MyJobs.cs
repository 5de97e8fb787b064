using System.Security.Cryptography;
using System.Text;
using Hustle.Domain.Jobs;
using Hustle.Web.Data;
using Hustle.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Jobs;

/// <param name="Cursor">The feed seq the list is current to (not a page cursor).</param>
/// <param name="NextCursor">The next page's cursor (<c>?after=</c>), null on the last page.</param>
public sealed record MyJobsResponse(IReadOnlyList<JobResponse> Jobs, long Cursor, string? NextCursor);

/// <summary>
/// The caller's jobs (as customer, as assigned hustler, or with a pending offer), newest first (id as tie-break), a
/// page at a time (<see cref="Paging"/>), and the feed seq the list is current to. The ETag is the caller, that seq,
/// the page asked for and every one of the caller's jobs' versions: not every change reaches the caller's feed
/// (another hustler's offer, a wrong code), but every change bumps the job's version, so a client that keeps the
/// pages it followed can trust a 304 on the first. A repeat with <c>If-None-Match</c> costs the counter and an
/// (id, version) read, and gets 304.
/// </summary>
public static class MyJobs
{
    public static async Task<Results<Ok<MyJobsResponse>, StatusCodeHttpResult>> Handle(int? limit, string? after, HttpContext http, CurrentUser me, HustleDb db, CancellationToken ct)
    {
        var take = Paging.Limit(limit);
        var from = Paging.Read(after);
        var userId = me.Id;
        var cursor = await db.FeedCounters.Where(c => c.UserId == userId).Select(c => (long?)c.LastSeq).FirstOrDefaultAsync(ct) ?? 0;
        var mine = db.Jobs.Where(j => j.CustomerId == userId || j.HustlerId == userId || j.Offers.Any(o => o.HustlerId == userId && o.Status == OfferStatus.Pending));
        var versions = await mine.OrderBy(j => j.Id).Select(j => new { j.Id, j.Version }).ToListAsync(ct);
        var fingerprint = SHA256.HashData(Encoding.UTF8.GetBytes($"{userId}|{cursor}|{take}|{after}|{string.Join(",", versions.Select(v => $"{v.Id}:{v.Version}"))}"));
        var etag = $"\"mine-{cursor}-{Convert.ToHexStringLower(fingerprint)[..16]}\"";
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = "private, no-cache";
        if (http.Request.Headers.IfNoneMatch.Contains(etag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        if (from is { } key)
        {
            var (at, id) = (key.Time(), key.Id);
            mine = mine.Where(j => j.CreatedAt < at || (j.CreatedAt == at && string.Compare(j.Id, id) < 0));
        }

        var jobs = await mine.AsNoTracking()
            .Include(j => j.Offers)
            .Include(j => j.PriceProposals)
            .AsSplitQuery()
            .OrderByDescending(j => j.CreatedAt)
            .ThenByDescending(j => j.Id)
            .Take(take + 1)
            .ToListAsync(ct);
        var next = Paging.Cut(http, jobs, take, j => Paging.KeyOf(j.CreatedAt, j.Id));
        return TypedResults.Ok(new MyJobsResponse([.. jobs.Select(j => JobViews.For(j, userId))], cursor, next));
    }
}
