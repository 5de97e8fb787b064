using Hustle.Web.Setup;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Hustle.Web.Sync;

/// <summary>
/// The SignalR backplane between nodes: with <c>Hustle:Redis</c> set, a push made on one node reaches the user's
/// connections on every node. Redis is a hint path only (the feed in the database is the truth), so the
/// connection is set up to never stand in the way: a node starts without Redis and connects when it can, and
/// while Redis is away a publish fails at once instead of queueing, so pushes are dropped (clients poll the
/// feed) rather than piled up behind a dead connection. Subscriptions come back by themselves on reconnect.
/// </summary>
public static class RedisBackplane
{
    public static ISignalRServerBuilder AddHustleBackplane(this ISignalRServerBuilder signalR, IConfiguration configuration)
    {
        signalR.Services.AddSettings<BackplaneOptions>(configuration, BackplaneOptions.Section);
        var backplane = configuration.ReadSettings<BackplaneOptions>(BackplaneOptions.Section);
        if (!backplane.Enabled)
        {
            // One node: in-process SignalR (with sends to a user looked up, not scanned for) and presence.
            signalR.Services.AddSingleton(typeof(HubLifetimeManager<>), typeof(UserIndexedHubLifetimeManager<>));
            return signalR;
        }

        var (connection, prefix) = (backplane.Connection!, backplane.Prefix);
        var services = signalR.Services;
        services.AddSingleton(sp => new BackplaneConnection(Options(connection, prefix), prefix, sp.GetRequiredService<ILogger<BackplaneConnection>>()));
        signalR.AddStackExchangeRedis(o => o.Configuration = Options(connection, prefix));
        services.AddOptions<RedisOptions>().Configure<BackplaneConnection>((o, shared) => o.ConnectionFactory = _ => shared.ConnectAsync());
        services.AddHealthChecks().AddCheck<BackplaneHealthCheck>("backplane");

        // Presence across nodes lives in the same Redis (registered before AddHustleSync's in-memory default).
        services.AddSingleton<RedisPresenceStore>();
        services.AddSingleton<IPresenceStore>(sp => sp.GetRequiredService<RedisPresenceStore>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisPresenceStore>());
        return signalR;
    }

    public static ConfigurationOptions Options(string connection, string channelPrefix)
    {
        var options = ConfigurationOptions.Parse(connection);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ReconnectRetryPolicy = new ExponentialRetry(deltaBackOffMilliseconds: 250, maxDeltaBackOffMilliseconds: 5000);
        options.ChannelPrefix = RedisChannel.Literal(channelPrefix);
        options.ClientName ??= $"hustle-{Environment.MachineName}";
        return options;
    }
}

/// <summary>
/// This node's one connection to Redis, shared by the SignalR backplane and <see cref="RedisPresenceStore"/>, made
/// through this class so its state can be watched and reported.
/// </summary>
public sealed class BackplaneConnection
{
    private readonly Lazy<Task<ConnectionMultiplexer>> _redis;
    private readonly ILogger<BackplaneConnection> _log;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public BackplaneConnection(ConfigurationOptions options, string prefix, ILogger<BackplaneConnection> log)
    {
        _log = log;
        Prefix = prefix;
        _redis = new Lazy<Task<ConnectionMultiplexer>>(() => ConnectCoreAsync(options));
    }

    /// <summary>The configured prefix: of the pub/sub channels, and of the keys Hustle keeps in Redis.</summary>
    public string Prefix { get; }

    public bool IsConnected => _redis is { IsValueCreated: true, Value.IsCompletedSuccessfully: true } && _redis.Value.Result.IsConnected;

    /// <summary>The shared multiplexer; connecting never fails (it reconnects in the background), so this only waits for the first attempt.</summary>
    public async Task<IConnectionMultiplexer> ConnectAsync() => await _redis.Value;

    /// <summary>Returns once the backplane is connected (at once if it is).</summary>
    public async Task WaitUntilConnectedAsync(CancellationToken ct)
    {
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            if (IsConnected)
            {
                return;
            }

            await changed.WaitAsync(ct);
        }
    }

    private async Task<ConnectionMultiplexer> ConnectCoreAsync(ConfigurationOptions options)
    {
        var redis = await ConnectionMultiplexer.ConnectAsync(options);
        redis.ConnectionFailed += (_, e) =>
        {
            _log.LogWarning(e.Exception, "Redis lost ({FailureType} on {EndPoint}): pushes are dropped and clients poll the feed until it is back.", e.FailureType, e.EndPoint);
            Changed();
        };
        redis.ConnectionRestored += (_, e) =>
        {
            _log.LogInformation("Redis back ({EndPoint}): pushes resume.", e.EndPoint);
            Changed();
        };
        if (!redis.IsConnected)
        {
            _log.LogWarning("Redis not reachable at start; this node serves HTTP and keeps trying.");
        }

        Changed();
        return redis;
    }

    private void Changed() => Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}

/// <summary>Reports a lost backplane as degraded, not unhealthy: the node still serves every request, only pushes wait.</summary>
public sealed class BackplaneHealthCheck(BackplaneConnection backplane) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(backplane.IsConnected
            ? HealthCheckResult.Healthy("Redis backplane connected.")
            : HealthCheckResult.Degraded("Redis backplane unreachable: pushes are dropped, clients poll the feed."));
}
