using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Hustle.Web.Sync;

/// <summary>
/// SignalR's in-process lifetime manager with <c>Clients.User</c> and <c>Clients.Users</c> written straight to the
/// connections of those users, kept in an index by user. The default manager compares the user of each of the node's
/// connections for every send, and handing it the connection ids instead still scans every connection for each
/// (<c>SendConnectionsAsync</c>): with 10 000 users connected a push cost 10 000 comparisons, so the cost of a step
/// grew with the crowd (docs/BENCHMARKS.md). Here a send costs one lookup and one write per connection of its users.
/// Used on a single node; the Redis backplane's manager already sends to a user through that user's channel.
/// </summary>
public sealed class UserIndexedHubLifetimeManager<THub>(ILogger<DefaultHubLifetimeManager<THub>> logger) : DefaultHubLifetimeManager<THub>(logger)
    where THub : Hub
{
    /// <summary>Each user's connections; an array replaced (never changed) on connect and disconnect, so a send reads it without copying.</summary>
    private readonly Dictionary<string, HubConnectionContext[]> _connectionsByUser = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        await base.OnConnectedAsync(connection);
        if (connection.UserIdentifier is { } user)
        {
            lock (_lock)
            {
                _connectionsByUser[user] = _connectionsByUser.TryGetValue(user, out var connections) ? [.. connections, connection] : [connection];
            }
        }
    }

    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        if (connection.UserIdentifier is { } user)
        {
            lock (_lock)
            {
                if (_connectionsByUser.TryGetValue(user, out var connections))
                {
                    var rest = Array.FindAll(connections, c => c != connection);
                    if (rest.Length == 0)
                    {
                        _connectionsByUser.Remove(user);
                    }
                    else
                    {
                        _connectionsByUser[user] = rest;
                    }
                }
            }
        }

        await base.OnDisconnectedAsync(connection);
    }

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        HubConnectionContext[]? connections;
        lock (_lock)
        {
            _connectionsByUser.TryGetValue(userId, out connections);
        }

        if (connections is [var only])
        {
            // One connection: the message is written straight into its pipe, never kept as bytes (as SignalR does for one).
            return only.WriteAsync(new InvocationMessage(methodName, args), cancellationToken).AsTask();
        }

        return connections is null ? Task.CompletedTask : WriteAsync(connections, new SerializedHubMessage(new InvocationMessage(methodName, args)), cancellationToken);
    }

    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        List<HubConnectionContext> targets = [];
        lock (_lock)
        {
            foreach (var user in userIds)
            {
                if (_connectionsByUser.TryGetValue(user, out var connections))
                {
                    targets.AddRange(connections);
                }
            }
        }

        return targets.Count == 0 ? Task.CompletedTask : WriteAsync(targets, new SerializedHubMessage(new InvocationMessage(methodName, args)), cancellationToken);
    }

    /// <summary>
    /// One message, serialized once per protocol, to each connection, as <see cref="DefaultHubLifetimeManager{THub}"/>
    /// writes to a group: a write that finished at once is settled there, only the slow ones are awaited.
    /// </summary>
    private static Task WriteAsync(IEnumerable<HubConnectionContext> connections, SerializedHubMessage message, CancellationToken cancellationToken)
    {
        List<Task>? pending = null;
        foreach (var connection in connections)
        {
            var write = connection.WriteAsync(message, cancellationToken);
            if (write.IsCompletedSuccessfully)
            {
                write.GetAwaiter().GetResult(); // releases a pooled ValueTask source
            }
            else
            {
                (pending ??= []).Add(write.AsTask());
            }
        }

        return pending is null ? Task.CompletedTask : Task.WhenAll(pending);
    }
}
