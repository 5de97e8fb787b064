using Hustle.Domain.Jobs;
using Hustle.Web.Infrastructure;
using Hustle.Web.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hustle.Web.Messaging;

/// <summary>
/// A hustler asks the customer about a job before (or instead of) offering. Idempotent: asking again, or after an
/// offer opened the thread, answers 200 with the thread there is.
/// </summary>
public static class OpenThread
{
    public static async Task<Results<Created<ThreadResponse>, Ok<ThreadResponse>>> Handle(string id, CurrentUser me, JobStore jobs, ThreadStore threads, CancellationToken ct)
    {
        if (await threads.FindAsync(id, me.Id, ct) is { } existing)
        {
            return TypedResults.Ok(await ViewAsync(threads, existing.Id, me.Id, ct));
        }

        var job = await jobs.GetForParticipantAsync(id, me.Id, ct);
        if (!AllowedActions.MayOpenThread(job, me.Id))
        {
            throw new ApiProblem(StatusCodes.Status409Conflict, "thread_not_allowed", "Threads are opened by hustlers, with an offer or a question; the customer answers in them.");
        }

        var (thread, opened) = await threads.OpenAsync(job.Id, job.CustomerId, me.Id, ct);
        var view = await ViewAsync(threads, thread.Id, me.Id, ct);
        return opened ? TypedResults.Created($"/api/threads/{thread.Id}", view) : TypedResults.Ok(view);
    }

    private static async Task<ThreadResponse> ViewAsync(ThreadStore threads, string threadId, string userId, CancellationToken ct) =>
        (await threads.ViewsAsync(userId, threadId, ct)).Single();
}
