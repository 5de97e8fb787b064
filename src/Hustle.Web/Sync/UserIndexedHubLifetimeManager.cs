using Microsoft.AspNetCore.SignalR;

namespace Hustle.Web.Sync;

/// <summary>
/// SignalR's in-process lifetime manager with <c>Clients.User</c> looked up in an index instead of found by scanning
/// every connection. The default manager compares the user of each of the node's connections for every send: with
/// 10 000 users connected and two recipients per transition that was 20 000 comparisons per transition on the push
/// worker's path (docs/BENCHMARKS.md, "The second bottleneck"). Used on a single node; the Redis backplane's manager
/// already sends to a user through that user's channel.
/// </summary>
public sealed class UserIndexedHubLifetimeManager<THub>(ILogger<DefaultHubLifetimeManager<THub>> logger) : DefaultHubLifetimeManager<THub>(logger)
    where THub : Hub
{
    private readonly Dictionary<string, List<string>> _connectionsByUser = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        await base.OnConnectedAsync(connection);
        if (connection.UserIdentifier is { } user)
        {
            lock (_lock)
            {
                if (!_connectionsByUser.TryGetValue(user, out var connections))
                {
                    _connectionsByUser[user] = connections = [];
                }

                connections.Add(connection.ConnectionId);
            }
        }
    }

    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        if (connection.UserIdentifier is { } user)
        {
            lock (_lock)
            {
                if (_connectionsByUser.TryGetValue(user, out var connections) && connections.Remove(connection.ConnectionId) && connections.Count == 0)
                {
                    _connectionsByUser.Remove(user);
                }
            }
        }

        await base.OnDisconnectedAsync(connection);
    }

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendUsersAsync([userId], methodName, args, cancellationToken);

    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        List<string> targets = [];
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

        return targets.Count == 0 ? Task.CompletedTask : SendConnectionsAsync(targets, methodName, args, cancellationToken);
    }
}
