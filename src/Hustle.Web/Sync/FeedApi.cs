using Hustle.Domain;
using Hustle.Web.Data;
using Hustle.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Sync;

public sealed record FeedResponse(IReadOnlyList<FeedEnvelope> Events, long LastSeq, bool ResetRequired);

public static class FeedApi
{
    public const int MaxLimit = 500;

    public static IEndpointRouteBuilder MapFeed(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/feed", Read).WithTags("Sync").RequireAuthorization().WithName("readFeed").WithSummary("Read the caller's feed events after a sequence number");
        app.MapHub<SyncHub>("/hubs/sync", o => o.CloseOnAuthenticationExpiration = true);
        app.MapGet("/api/ops/metrics", Metrics).WithTags("Operations").RequireAuthorization(Jobs.JobsApi.OperatorPolicy)
            .WithName("nodeMetrics").WithSummary("Read this node's sync and runtime figures (operators)");
        return app;
    }

    /// <summary>
    /// This node's sync and runtime figures. <c>?collect=true</c> runs a full garbage collection first, so that the GC
    /// heap counts only live objects (the load benchmark's memory per connection); it pauses the node, so only on demand.
    /// </summary>
    public static SyncMetricsSnapshot Metrics(bool? collect, SyncMetrics metrics)
    {
        if (collect == true)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }

        return metrics.Snapshot();
    }

    /// <summary>
    /// Events after <paramref name="after"/>, oldest first, in one indexed query. The query also reads the cursor's
    /// own event: when that is gone (retention removed it, or the cursor never existed) the client must reload over
    /// REST, so the answer says <c>resetRequired</c>. Retention always keeps each user's newest event.
    /// </summary>
    public static async Task<FeedResponse> Read(long? after, int? limit, CurrentUser me, HustleDb db, CancellationToken ct)
    {
        var from = after ?? 0;
        var take = limit ?? 100;
        if (from < 0 || take is < 1 or > MaxLimit)
        {
            throw ApiProblem.Validation($"after must be 0 or more and limit between 1 and {MaxLimit}.");
        }

        var userId = me.Id;
        var lowest = from == 0 ? 1 : from;
        var rows = await db.FeedEvents.AsNoTracking()
            .Where(e => e.UserId == userId && e.Seq >= lowest)
            .OrderBy(e => e.Seq)
            .Take(take + 1)
            .ToListAsync(ct);

        var expectedFirst = lowest;
        if (rows.Count > 0 && rows[0].Seq != expectedFirst || rows.Count == 0 && from > 0)
        {
            return new FeedResponse([], rows.Count > 0 ? rows[^1].Seq : from, ResetRequired: true);
        }

        var events = rows.Where(e => e.Seq > from).Take(take).Select(e => e.ToEnvelope()).ToList();
        return new FeedResponse(events, events.Count > 0 ? events[^1].Seq : from, ResetRequired: false);
    }
}
