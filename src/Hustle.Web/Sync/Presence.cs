using Hustle.Web.Data;
using Hustle.Web.Messaging;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Sync;

/// <summary>
/// Which users have hub connections. Connections are tracked by id, not counted, so a disconnect reported twice
/// cannot take a user offline early. One node keeps this in memory; several nodes need a shared store (Redis).
/// </summary>
public interface IPresenceStore
{
    /// <summary>Records a connection; true when it is the user's first, i.e. they just came online.</summary>
    Task<bool> ConnectAsync(string userId, string connectionId);

    /// <summary>Forgets a connection; true when it was the user's last, i.e. they just went offline.</summary>
    Task<bool> DisconnectAsync(string userId, string connectionId);

    /// <summary>Those of <paramref name="userIds"/> with at least one connection.</summary>
    Task<IReadOnlySet<string>> OnlineAmongAsync(IReadOnlyCollection<string> userIds);
}

/// <summary>Presence for a single node.</summary>
public sealed class InMemoryPresenceStore : IPresenceStore
{
    private readonly Dictionary<string, HashSet<string>> _connections = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Task<bool> ConnectAsync(string userId, string connectionId)
    {
        lock (_lock)
        {
            if (!_connections.TryGetValue(userId, out var set))
            {
                _connections[userId] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            return Task.FromResult(set.Add(connectionId) && set.Count == 1);
        }
    }

    public Task<bool> DisconnectAsync(string userId, string connectionId)
    {
        lock (_lock)
        {
            if (!_connections.TryGetValue(userId, out var set) || !set.Remove(connectionId))
            {
                return Task.FromResult(false);
            }

            if (set.Count > 0)
            {
                return Task.FromResult(false);
            }

            _connections.Remove(userId);
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlySet<string>> OnlineAmongAsync(IReadOnlyCollection<string> userIds)
    {
        lock (_lock)
        {
            IReadOnlySet<string> online = userIds.Where(_connections.ContainsKey).ToHashSet(StringComparer.Ordinal);
            return Task.FromResult(online);
        }
    }
}

/// <summary>
/// Turns hub connections into presence: the first connection of a user tells the people who share presence with
/// them (<see cref="ThreadStore.CounterpartsAmongAsync"/>) that they are online; the last one to close records <c>lastSeenAt</c> and tells them they are offline.
/// The database work is batched (<see cref="Batched{TItem, TResult}"/>): users who come or go while a query runs share
/// the next one, so a crowd connecting or dropping at once (a deploy, a network blip) costs a few queries instead of
/// one each, and one user alone waits for one query as before. A connect or disconnect still returns only once its
/// own signal is sent, so a user's "online" and "offline" go out in the order they happened.
/// Telling is best effort: a failure is logged and never fails the connect (SignalR would then drop the connection
/// without a disconnect, and the store would keep the user online for ever).
/// </summary>
public sealed class PresenceTracker
{
    /// <summary>Users per query: well under the database's limit on parameters.</summary>
    private const int MaxBatch = 500;

    private readonly IPresenceStore _store;
    private readonly IHubContext<SyncHub, ISyncClient> _hub;
    private readonly TimeProvider _clock;
    private readonly ILogger<PresenceTracker> _log;
    private readonly Batched<string, IReadOnlyList<string>> _counterparts;
    private readonly Batched<string, DateTimeOffset> _lastSeen;

    public PresenceTracker(IPresenceStore store, IDbContextFactory<HustleDb> dbs, IHubContext<SyncHub, ISyncClient> hub, TimeProvider clock, ILogger<PresenceTracker> log)
    {
        (_store, _hub, _clock, _log) = (store, hub, clock, log);
        _counterparts = new(async users =>
        {
            await using var db = await dbs.CreateDbContextAsync();
            var counterparts = await ThreadStore.CounterpartsAmongAsync(db, users, CancellationToken.None);
            return user => [.. counterparts[user]];
        }, MaxBatch);
        _lastSeen = new(async users =>
        {
            var at = clock.GetUtcNow();
            await using var db = await dbs.CreateDbContextAsync();
            await db.Users.Where(u => users.Contains(u.Id)).ExecuteUpdateAsync(s => s.SetProperty(u => u.LastSeenAt, at));
            return _ => at;
        }, MaxBatch);
    }

    public async Task ConnectedAsync(string userId, string connectionId)
    {
        if (await _store.ConnectAsync(userId, connectionId))
        {
            await TellCounterpartsAsync(new PresenceSignal(userId, Online: true, LastSeenAt: null));
        }
    }

    public async Task DisconnectedAsync(string userId, string connectionId)
    {
        if (!await _store.DisconnectAsync(userId, connectionId))
        {
            return;
        }

        DateTimeOffset at;
        try
        {
            at = await _lastSeen.RunAsync(userId);
        }
        catch (Exception e)
        {
            at = _clock.GetUtcNow();
            _log.LogWarning(e, "Could not record when {User} was last seen.", userId);
        }

        // A device that connected while we were writing has already said "online"; an "offline" now would be wrong.
        if ((await _store.OnlineAmongAsync([userId])).Count == 0)
        {
            await TellCounterpartsAsync(new PresenceSignal(userId, Online: false, LastSeenAt: at));
        }
    }

    /// <summary>
    /// Two people just came to share presence (the second of them wrote in their thread): each who is online is
    /// shown to the other now, rather than at their next connect.
    /// </summary>
    public async Task IntroduceAsync(string userId, string otherId)
    {
        try
        {
            var online = await _store.OnlineAmongAsync([userId, otherId]);
            foreach (var (who, to) in new[] { (userId, otherId), (otherId, userId) })
            {
                if (online.Contains(who))
                {
                    await _hub.Clients.User(to).Presence(new PresenceSignal(who, Online: true, LastSeenAt: null));
                }
            }
        }
        catch (Exception e)
        {
            _log.LogWarning(e, "Could not introduce the presence of {User} and {Other}.", userId, otherId);
        }
    }

    private async Task TellCounterpartsAsync(PresenceSignal signal)
    {
        try
        {
            var counterparts = await _counterparts.RunAsync(signal.UserId);
            if (counterparts.Count > 0)
            {
                await _hub.Clients.Users(counterparts).Presence(signal);
            }
        }
        catch (Exception e)
        {
            _log.LogWarning(e, "Could not tell the counterparts of {User} that they are {State}.", signal.UserId, signal.Online ? "online" : "offline");
        }
    }
}
