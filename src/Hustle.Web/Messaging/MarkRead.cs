using Hustle.Web.Infrastructure;

namespace Hustle.Web.Messaging;

public sealed record MarkReadRequest(string? UpToMessageId);

/// <summary>The reader's unread count in the thread after the mark, and the message they have read up to.</summary>
public sealed record ReadStateResponse(string ThreadId, string? LastReadMessageId, int UnreadCount);

/// <summary>
/// A member has read the thread up to a message. The mark only moves forward: an older message id (a slow device
/// catching up) changes nothing and tells nobody.
/// </summary>
public static class MarkRead
{
    public static async Task<ReadStateResponse> Handle(string id, MarkReadRequest? body, CurrentUser me, ThreadStore threads, CancellationToken ct)
    {
        new RequestRules().Text("upToMessageId", body?.UpToMessageId, 40).ThrowIfAny();
        var thread = (await threads.GetForMemberAsync(id, me.Id, ct)).Thread;
        var upTo = await threads.FindMessageAsync(thread.Id, body!.UpToMessageId!, ct)
            ?? throw ApiProblem.Validation("upToMessageId must be the id of a message in this thread.");
        var state = await threads.MarkReadAsync(thread, me.Id, upTo, ct);
        return new ReadStateResponse(thread.Id, state.LastReadMessageId, await threads.UnreadCountAsync(thread.Id, me.Id, state.LastReadSeq, ct));
    }
}
