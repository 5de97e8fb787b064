using Hustle.Web.Data;
using Hustle.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Jobs;

public sealed record HistoryEntryResponse(DateTimeOffset At, string Actor, string Action, string From, string To, string? Reason, string? RequestId);

/// <summary>Every transition, edit and proposal of a job, oldest first, a page at a time; for its customer and assigned hustler only.</summary>
public static class JobHistory
{
    public static async Task<IReadOnlyList<HistoryEntryResponse>> Handle(string id, int? limit, string? after, HttpContext http, CurrentUser me, JobStore jobs, HustleDb db, CancellationToken ct)
    {
        var take = Paging.Limit(limit);
        var from = Paging.Read(after)?.At ?? 0;
        var job = await jobs.FindAsync(id, ct);
        if (job is null || (job.CustomerId != me.Id && job.HustlerId != me.Id && !me.IsOperator))
        {
            throw ApiProblem.NotFound();
        }

        var rows = await db.JobHistory.AsNoTracking()
            .Where(h => h.JobId == id && h.Id > from)
            .OrderBy(h => h.Id)
            .Take(take + 1)
            .Select(h => new { h.Id, Entry = new HistoryEntryResponse(h.At, h.Actor, h.Action, h.From, h.To, h.Reason, h.RequestId) })
            .ToListAsync(ct);
        Paging.Cut(http, rows, take, r => new PageKey(r.Id, ""));
        return [.. rows.Select(r => r.Entry)];
    }
}
