using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;

namespace Hustle.Web.Accounts;

/// <summary>This node's hub connections with the session each was opened by, so a revocation can close them at once.</summary>
public sealed class LiveConnections
{
    private readonly ConcurrentDictionary<string, HubCallerContext> _connections = new(StringComparer.Ordinal);

    public void Add(HubCallerContext connection) => _connections[connection.ConnectionId] = connection;

    public void Remove(string connectionId) => _connections.TryRemove(connectionId, out _);

    /// <summary>Closes the user's connections opened by <paramref name="sessionId"/>, or all of the user's when it is null.</summary>
    public int Close(string userId, string? sessionId)
    {
        var closed = 0;
        foreach (var (_, connection) in _connections)
        {
            if (connection.UserIdentifier == userId
                && (sessionId is null || connection.User?.FindFirstValue(SessionClaims.Session) == sessionId))
            {
                connection.Abort();
                closed++;
            }
        }

        return closed;
    }
}

/// <summary>
/// Checks the session again as a connection opens (it may have been revoked between the HTTP check and now) and keeps
/// <see cref="LiveConnections"/> up to date.
/// </summary>
public sealed class SessionHubFilter(LiveConnections live, SessionCheck sessions) : IHubFilter
{
    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        var connection = context.Context;
        live.Add(connection);
        if (connection.User is not { } user || !await sessions.IsLiveAsync(user, connection.ConnectionAborted))
        {
            live.Remove(connection.ConnectionId);
            throw new HubException("This sign-in has ended; sign in again.");
        }

        await next(context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        live.Remove(context.Context.ConnectionId);
        await next(context, exception);
    }
}
