using Hustle.Domain.Jobs;
using Hustle.Web.Data;
using Hustle.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Jobs;

/// <summary>
/// Jobs other people posted that are open to offers, newest first (id as tie-break), without their addresses; a page
/// at a time (<see cref="Paging"/>).
/// </summary>
public static class BrowseJobs
{
    public static async Task<IReadOnlyList<JobResponse>> Handle(string? status, int? limit, string? after, HttpContext http, CurrentUser me, HustleDb db, TimeProvider clock, CancellationToken ct)
    {
        JobStatus[] wanted = status switch
        {
            null or "" => [JobStatus.Open, JobStatus.Requested],
            "OPEN" => [JobStatus.Open],
            "REQUESTED" => [JobStatus.Requested],
            _ => throw ApiProblem.Validation($"status '{status}' is not one to browse: use OPEN or REQUESTED."),
        };
        var take = Paging.Limit(limit);
        var from = Paging.Read(after);

        var now = clock.GetUtcNow();
        var userId = me.Id;
        var query = db.Jobs.AsNoTracking()
            .Include(j => j.Offers)
            .Where(j => wanted.Contains(j.Status) && j.CustomerId != userId && j.ExpiresAt > now);
        if (from is { } key)
        {
            var (at, id) = (key.Time(), key.Id);
            query = query.Where(j => j.CreatedAt < at || (j.CreatedAt == at && string.Compare(j.Id, id) < 0));
        }

        var jobs = await query
            .OrderByDescending(j => j.CreatedAt)
            .ThenByDescending(j => j.Id)
            .Take(take + 1)
            .ToListAsync(ct);
        Paging.Cut(http, jobs, take, j => Paging.KeyOf(j.CreatedAt, j.Id));
        return [.. jobs.Select(j => JobViews.For(j, userId))];
    }
}
