using Hustle.Web.Data;
using Hustle.Web.Sync;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace Hustle.Web.Accounts;

/// <summary>
/// Ends sessions: records the revocation, evicts it from this node's <see cref="SessionCheck"/>, closes this node's
/// hub connections of it, and (with <c>Hustle:Redis</c>) tells the other nodes to do the same. A lost Redis message
/// only delays the other nodes until their cache entry expires (<see cref="SessionCacheOptions.CacheTtl"/>).
/// </summary>
public sealed class SessionRevocations(
    IDbContextFactory<HustleDb> dbs,
    SessionCheck check,
    LiveConnections connections,
    TimeProvider clock,
    IServiceProvider services,
    ILogger<SessionRevocations> log)
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("session-revocations");

    /// <summary>Signs one session out: its bearer, refresh tokens and cookie stop working on every node.</summary>
    public async Task RevokeSessionAsync(string userId, string sessionId, CancellationToken ct = default)
    {
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            var now = clock.GetUtcNow();
            await db.Set<UserSession>().Where(s => s.Id == sessionId && s.UserId == userId && s.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now), ct);
        }

        Apply(userId, sessionId);
        await PublishAsync($"{userId}\t{sessionId}");
    }

    /// <summary>The user's security stamp has changed (and is saved): every session of theirs has ended.</summary>
    public async Task UserStampChangedAsync(string userId)
    {
        Apply(userId, null);
        await PublishAsync(userId);
    }

    /// <summary>Forgets and disconnects on this node; <paramref name="sessionId"/> null means every session of the user.</summary>
    public void Apply(string userId, string? sessionId)
    {
        if (sessionId is null)
        {
            check.EvictUser(userId);
        }
        else
        {
            check.EvictSession(sessionId);
        }

        var closed = connections.Close(userId, sessionId);
        log.LogInformation("Sessions of {User} revoked ({Session}); {Closed} hub connection(s) closed on this node.", userId, sessionId ?? "all", closed);
    }

    /// <summary>Reads a message of <see cref="PublishAsync"/> from another node.</summary>
    public void ApplyMessage(string message)
    {
        var parts = message.Split('\t');
        Apply(parts[0], parts.Length > 1 ? parts[1] : null);
    }

    private async Task PublishAsync(string message)
    {
        if (services.GetService<BackplaneConnection>() is not { } backplane)
        {
            return;
        }

        try
        {
            await (await backplane.ConnectAsync()).GetSubscriber().PublishAsync(Channel, message);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            log.LogWarning(e, "Revocation not sent to the other nodes; they stop accepting the session within the cache lifetime.");
        }
    }
}

/// <summary>Listens for the other nodes' revocations on Redis (only when <c>Hustle:Redis</c> is set).</summary>
public sealed class RevocationListener(IServiceProvider services, SessionRevocations revocations, ILogger<RevocationListener> log) : BackgroundService
{
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once this node hears the other nodes' revocations (at once without Redis: there are none).</summary>
    public Task Subscribed => _subscribed.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<BackplaneConnection>() is not { } backplane)
        {
            _subscribed.TrySetResult();
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await backplane.WaitUntilConnectedAsync(stoppingToken);
                var subscriber = (await backplane.ConnectAsync()).GetSubscriber();
                await subscriber.SubscribeAsync(SessionRevocations.Channel, (_, message) => revocations.ApplyMessage(message.ToString()));
                _subscribed.TrySetResult();
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                log.LogWarning(e, "Could not listen for revocations yet; trying again.");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }
}
