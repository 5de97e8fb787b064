using Hustle.Web.Data;
using Hustle.Web.Infrastructure;
using Hustle.Web.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Features.Jobs;

public sealed record HistoryEntryResponse(DateTimeOffset At, string Actor, string Action, string From, string To, string? Reason, string? RequestId);

/// <summary>Every transition, edit and proposal of a job, oldest first; for its customer and assigned hustler only.</summary>
public static class JobHistory
{
    public static async Task<IReadOnlyList<HistoryEntryResponse>> Handle(string id, CurrentUser me, JobStore jobs, HustleDb db, CancellationToken ct)
    {
        var job = await jobs.FindAsync(id, ct);
        if (job is null || (job.CustomerId != me.Id && job.HustlerId != me.Id && !me.IsOperator))
        {
            throw ApiProblem.NotFound();
        }

        return await db.JobHistory.AsNoTracking()
            .Where(h => h.JobId == id)
            .OrderBy(h => h.Id)
            .Select(h => new HistoryEntryResponse(h.At, h.Actor, h.Action, h.From, h.To, h.Reason, h.RequestId))
            .ToListAsync(ct);
    }
}
