using Hustle.Web.Messaging;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Connections.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR;

namespace Hustle.Web.Sync;

/// <summary>
/// The one hub. Clients never join groups of their choosing: events go to <c>Clients.User(id)</c>, the user id
/// coming from the authenticated connection. It also carries the ephemeral signals: typing and presence.
/// SignalR makes a hub for every connect, disconnect and call, with a scope of its own: the constructor takes only
/// singletons, so a connect builds no database context; <see cref="Typing"/> asks for its store itself.
/// </summary>
[Authorize]
public sealed class SyncHub(SyncMetrics metrics, PresenceTracker presence, TypingThrottle typing) : Hub<ISyncClient>
{
    /// <summary>Said for an unknown thread and for someone else's alike, so a caller learns nothing about which it was.</summary>
    private const string NoSuchThread = "No such thread.";

    public override async Task OnConnectedAsync()
    {
        metrics.Connected(Transport());
        await presence.ConnectedAsync(UserId, Context.ConnectionId);
        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        metrics.Disconnected(Transport());
        await presence.DisconnectedAsync(UserId, Context.ConnectionId);
        await base.OnDisconnectedAsync(exception);
    }

    /// <summary>The caller is typing in <paramref name="threadId"/>: tells the other member, at most once per user and thread every 2 s.</summary>
    public async Task Typing(string threadId, [FromServices] ThreadStore threads)
    {
        var thread = string.IsNullOrEmpty(threadId) ? null : await threads.FindForMemberAsync(threadId, UserId, Context.ConnectionAborted);
        if (thread is null)
        {
            throw new HubException(NoSuchThread);
        }

        if (thread.ReadOnlyReason is not null)
        {
            throw new HubException("This thread is read-only.");
        }

        if (typing.TryPass(UserId, threadId))
        {
            await Clients.User(thread.Thread.OtherMember(UserId)).Typing(new TypingSignal(threadId, UserId));
        }
    }

    private string UserId => Context.UserIdentifier ?? throw new HubException("Not signed in.");

    private string Transport() => Context.Features.Get<IHttpTransportFeature>()?.TransportType.ToString() ?? "unknown";
}
