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
    public const string ConnectionKey = "Hustle:Redis";
    public const string ChannelPrefixKey = "Hustle:RedisChannelPrefix";
    public const string DefaultChannelPrefix = "hustle";

    public static ISignalRServerBuilder AddHustleBackplane(this ISignalRServerBuilder signalR, IConfiguration configuration)
    {
        var connection = configuration[ConnectionKey];
        if (string.IsNullOrWhiteSpace(connection))
        {
            return signalR; // one node: in-process SignalR
        }

        var prefix = configuration[ChannelPrefixKey] is { Length: > 0 } p ? p : DefaultChannelPrefix;
        signalR.AddStackExchangeRedis(o => o.Configuration = Options(connection, prefix));
        signalR.Services.AddSingleton<BackplaneConnection>();
        signalR.Services.AddOptions<RedisOptions>().Configure<BackplaneConnection>((o, backplane) => o.ConnectionFactory = log => backplane.ConnectAsync(o.Configuration, log));
        signalR.Services.AddHealthChecks().AddCheck<BackplaneHealthCheck>("backplane");
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

/// <summary>This node's connection to the Redis backplane, made by SignalR through this class so its state can be watched and reported.</summary>
public sealed class BackplaneConnection(ILogger<BackplaneConnection> log)
{
    private ConnectionMultiplexer? _redis;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsConnected => _redis?.IsConnected ?? false;

    public async Task<IConnectionMultiplexer> ConnectAsync(ConfigurationOptions options, TextWriter connectLog)
    {
        var redis = await ConnectionMultiplexer.ConnectAsync(options, connectLog);
        redis.ConnectionFailed += (_, e) =>
        {
            log.LogWarning(e.Exception, "Redis backplane lost ({FailureType} on {EndPoint}): pushes are dropped and clients poll the feed until it is back.", e.FailureType, e.EndPoint);
            Changed();
        };
        redis.ConnectionRestored += (_, e) =>
        {
            log.LogInformation("Redis backplane back ({EndPoint}): pushes resume.", e.EndPoint);
            Changed();
        };
        _redis = redis;
        if (!redis.IsConnected)
        {
            log.LogWarning("Redis backplane not reachable at start; this node serves HTTP and keeps trying.");
        }

        Changed();
        return redis;
    }

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
