using Hustle.Domain.Messaging;
using Hustle.Web.Infrastructure;
using Hustle.Web.Sync;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hustle.Web.Messaging;

public sealed record PostMessageRequest(string? Body);

/// <summary>
/// A member writes in a thread that is not read-only. The body is stored and returned exactly as sent: it is JSON
/// text, never HTML, and clients must show it as text (so nothing here encodes or strips it).
/// </summary>
public static class PostMessage
{
    public static async Task<Created<MessageResponse>> Handle(string id, PostMessageRequest? body, CurrentUser me, ThreadStore threads, PresenceTracker presence, CancellationToken ct)
    {
        new RequestRules().Text("body", body?.Body, Message.MaxBodyLength, multiline: true).ThrowIfAny();
        var thread = await threads.GetForMemberAsync(id, me.Id, ct);
        thread.EnsureWritable();
        var (message, answer) = await threads.AddMessageAsync(thread.Thread, me.Id, body!.Body!, m => TypedResults.Created($"/api/threads/{thread.Thread.Id}/messages", MessageResponse.Unread(m)), ct);
        if (await threads.StartedConversationAsync(thread.Thread, message, CancellationToken.None))
        {
            await presence.IntroduceAsync(me.Id, thread.Thread.OtherMember(me.Id));
        }

        return answer;
    }
}
