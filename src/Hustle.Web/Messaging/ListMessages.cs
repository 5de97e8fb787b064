using Hustle.Web.Infrastructure;

namespace Hustle.Web.Messaging;

/// <summary>
/// A thread's messages, oldest first, <c>limit</c> at a time. <c>?after={messageId}</c> pages forward from a message
/// (an empty page: nothing newer); <c>?before={messageId}</c> gives the messages just before one (scrolling back).
/// With neither, the list starts at the first message. A full forward page announces the next one as every list does
/// (<see cref="Paging.AnnounceNext"/>), with its last message's id as the cursor.
/// </summary>
public static class ListMessages
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static async Task<List<MessageResponse>> Handle(string id, string? after, string? before, int? limit, HttpContext http, CurrentUser me, ThreadStore threads, CancellationToken ct)
    {
        var take = limit ?? DefaultLimit;
        new RequestRules()
            .When(take is < 1 or > MaxLimit, "limit", $"limit must be between 1 and {MaxLimit}.")
            .When(!string.IsNullOrEmpty(after) && !string.IsNullOrEmpty(before), "before", "Give after or before, not both.")
            .ThrowIfAny();
        var thread = (await threads.GetForMemberAsync(id, me.Id, ct)).Thread;
        var afterSeq = string.IsNullOrEmpty(after) ? 0 : await SeqOfAsync(threads, thread.Id, after, "after", ct);
        long? beforeSeq = string.IsNullOrEmpty(before) ? null : await SeqOfAsync(threads, thread.Id, before, "before", ct);
        var forward = beforeSeq is null;
        var messages = await threads.MessagesAsync(thread.Id, afterSeq, beforeSeq, forward ? take + 1 : take, ct);
        if (forward && messages.Count > take)
        {
            messages.RemoveRange(take, messages.Count - take);
            Paging.AnnounceNext(http, messages[^1].Id);
        }

        var readSeqOf = await threads.ReadSeqsAsync(thread.Id, ct);
        return [.. messages.Select(m => MessageResponse.From(m, thread, readSeqOf))];
    }

    private static async Task<long> SeqOfAsync(ThreadStore threads, string threadId, string messageId, string field, CancellationToken ct) =>
        (await threads.FindMessageAsync(threadId, messageId, ct))?.Seq ?? throw ApiProblem.Validation($"{field} must be the id of a message in this thread.");
}
