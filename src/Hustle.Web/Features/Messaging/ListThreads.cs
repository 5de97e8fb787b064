using Hustle.Web.Infrastructure;
using Hustle.Web.Messaging;

namespace Hustle.Web.Features.Messaging;

/// <summary>The caller's threads, newest activity first, each with its unread count and the counterpart's presence.</summary>
public static class ListThreads
{
    public static async Task<List<ThreadResponse>> Handle(CurrentUser me, ThreadStore threads, CancellationToken ct) =>
        await threads.ViewsAsync(me.Id, onlyThreadId: null, ct);
}
