using Hustle.Domain.Jobs;
using Hustle.Web.Data;
using Hustle.Web.Infrastructure;
using Hustle.Web.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Features.Jobs;

/// <summary>Jobs other people posted that are open to offers, newest first, without their addresses.</summary>
public static class BrowseJobs
{
    public static async Task<IReadOnlyList<JobResponse>> Handle(string? status, int? limit, CurrentUser me, HustleDb db, TimeProvider clock, CancellationToken ct)
    {
        JobStatus[] wanted = status switch
        {
            null or "" => [JobStatus.Open, JobStatus.Requested],
            "OPEN" => [JobStatus.Open],
            "REQUESTED" => [JobStatus.Requested],
            _ => throw ApiProblem.Validation($"status '{status}' is not one to browse: use OPEN or REQUESTED."),
        };
        if (limit is < 1 or > 200)
        {
            throw ApiProblem.Validation("limit must be between 1 and 200.");
        }

        var now = clock.GetUtcNow();
        var userId = me.Id;
        var jobs = await db.Jobs.AsNoTracking()
            .Include(j => j.Offers)
            .Where(j => wanted.Contains(j.Status) && j.CustomerId != userId && j.ExpiresAt > now)
            .OrderByDescending(j => j.CreatedAt)
            .Take(limit ?? 50)
            .ToListAsync(ct);
        return [.. jobs.Select(j => JobViews.For(j, userId))];
    }
}
