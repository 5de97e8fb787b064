using StackExchange.Redis;

namespace Hustle.Web.Sync;

/// <summary>
/// Presence across nodes. Each user has a sorted set in Redis of their hub connections on every node, scored by
/// when the owning node's lease on the entry runs out. A node renews the leases of its own connections every
/// <see cref="Renewal"/>; a node that dies stops renewing, so its users fall offline within <see cref="Lease"/>
/// instead of staying online for ever. Connect and disconnect are one script each, so "first connection"
/// and "last connection" are decided atomically across nodes. When Redis is away, presence falls back to what
/// this node knows and never fails a request.
/// </summary>
public sealed class RedisPresenceStore(
    BackplaneConnection redis,
    TimeProvider clock,
    ILogger<RedisPresenceStore> log) : BackgroundService, IPresenceStore
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(45);
    public static readonly TimeSpan Renewal = TimeSpan.FromSeconds(15);

    /// <summary>Redis forgets a user's set this long after its last write, whatever the scores say.</summary>
    private static readonly TimeSpan KeyTimeToLive = TimeSpan.FromHours(1);

    private const string ConnectScript =
        """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        local before = redis.call('ZCARD', KEYS[1])
        local added = redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        if before == 0 and added == 1 then return 1 else return 0 end
        """;

    private const string DisconnectScript =
        """
        local removed = redis.call('ZREM', KEYS[1], ARGV[2])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        if removed == 1 and redis.call('ZCARD', KEYS[1]) == 0 then return 1 else return 0 end
        """;

    private readonly string _node = Guid.NewGuid().ToString("N")[..12];
    private readonly Dictionary<string, HashSet<string>> _local = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private Task _renewal = Task.CompletedTask;

    public async Task<bool> ConnectAsync(string userId, string connectionId)
    {
        Track(userId, connectionId);
        try
        {
            var db = (await redis.ConnectAsync()).GetDatabase();
            var first = await db.ScriptEvaluateAsync(ConnectScript, [Key(userId)], [Now(), Expiry(), Member(connectionId), (long)KeyTimeToLive.TotalMilliseconds]);
            return (long)first == 1;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Renewal adds the entry once Redis is back; nobody is told "online" meanwhile (push needs Redis anyway).
            log.LogWarning(e, "Presence of {User} not recorded in Redis.", userId);
            return false;
        }
    }

    public async Task<bool> DisconnectAsync(string userId, string connectionId)
    {
        // A renewal that read this connection before it was forgotten would put its entry back after the removal below
        // (the user would look online for a lease, and nobody would be told otherwise): let it finish first.
        await Forget(userId, connectionId);
        try
        {
            var db = (await redis.ConnectAsync()).GetDatabase();
            var last = await db.ScriptEvaluateAsync(DisconnectScript, [Key(userId)], [Now(), Member(connectionId)]);
            return (long)last == 1;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The entry's lease runs out by itself: this node no longer renews it.
            log.LogWarning(e, "Disconnect of {User} not recorded in Redis.", userId);
            return false;
        }
    }

    public async Task<IReadOnlySet<string>> OnlineAmongAsync(IReadOnlyCollection<string> userIds)
    {
        if (userIds.Count == 0)
        {
            return new HashSet<string>();
        }

        try
        {
            var db = (await redis.ConnectAsync()).GetDatabase();
            var now = (double)Now();
            var ids = userIds.Distinct().ToList();
            var counts = await Task.WhenAll(ids.Select(id => db.SortedSetLengthAsync(Key(id), now, double.PositiveInfinity, Exclude.Start)));
            return ids.Where((_, i) => counts[i] > 0).ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            log.LogWarning(e, "Presence read from this node only: Redis is not answering.");
            lock (_lock)
            {
                return userIds.Where(_local.ContainsKey).ToHashSet(StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Renews the leases of this node's connections (and puts them back after Redis lost them).</summary>
    public async Task RenewAsync()
    {
        List<(string User, string Connection)> mine;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            mine = [.. _local.SelectMany(u => u.Value.Select(c => (u.Key, c)))];
            _renewal = done.Task;
        }

        try
        {
            if (mine.Count == 0)
            {
                return;
            }

            var db = (await redis.ConnectAsync()).GetDatabase();
            var expiry = (double)Expiry();
            await Task.WhenAll(mine.SelectMany(m => new Task[]
            {
                db.SortedSetAddAsync(Key(m.User), Member(m.Connection), expiry),
                db.KeyExpireAsync(Key(m.User), KeyTimeToLive),
            }));
        }
        finally
        {
            done.SetResult();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Renewal, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RenewAsync();
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                log.LogWarning(e, "Presence leases not renewed; trying again in {Renewal}.", Renewal);
            }
        }
    }

    private void Track(string userId, string connectionId)
    {
        lock (_lock)
        {
            if (!_local.TryGetValue(userId, out var set))
            {
                _local[userId] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            set.Add(connectionId);
        }
    }

    /// <summary>Forgets a connection of this node; returns the lease renewal under way, which may have read it.</summary>
    private Task Forget(string userId, string connectionId)
    {
        lock (_lock)
        {
            if (_local.TryGetValue(userId, out var set) && set.Remove(connectionId) && set.Count == 0)
            {
                _local.Remove(userId);
            }

            return _renewal;
        }
    }

    private RedisKey Key(string userId) => $"{redis.Prefix}:presence:{userId}";

    private string Member(string connectionId) => $"{_node}/{connectionId}";

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private long Expiry() => (clock.GetUtcNow() + Lease).ToUnixTimeMilliseconds();
}
