using Hustle.Web.Infrastructure;

namespace Hustle.Web.Jobs;

public static class GetJob
{
    public static async Task<JobResponse> Handle(string id, CurrentUser me, JobStore jobs, CancellationToken ct) =>
        JobViews.For(await jobs.GetForParticipantAsync(id, me.Id, ct), me.Id);
}
