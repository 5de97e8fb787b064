using Hustle.Web.Infrastructure;

namespace Hustle.Web.Messaging;

/// <summary>
/// The caller's threads with their unread counts and the counterparts' presence, a page at a time (<see cref="Paging"/>).
/// Pages follow the threads' creation, newest first, which new messages do not reorder, so walking the pages misses
/// and repeats none; within a page, newest activity first.
/// </summary>
public static class ListThreads
{
    public static async Task<List<ThreadResponse>> Handle(int? limit, string? after, HttpContext http, CurrentUser me, ThreadStore threads, CancellationToken ct)
    {
        var take = Paging.Limit(limit);
        var views = await threads.ViewsAsync(me.Id, onlyThreadId: null, ct, Paging.Read(after), take + 1);
        if (views.Count > take)
        {
            var byCreation = views.OrderByDescending(v => v.CreatedAt).ThenByDescending(v => v.Id, StringComparer.Ordinal).ToList();
            views.Remove(byCreation[take]);
            Paging.AnnounceNext(http, Paging.Write(Paging.KeyOf(byCreation[take - 1].CreatedAt, byCreation[take - 1].Id)));
        }

        return views;
    }
}
