using Microsoft.AspNetCore.SignalR;
using StackExchange.Redis;

namespace Hustle.Web.Sync;

/// <summary>
/// The SignalR backplane between nodes: with <c>Hustle:Redis</c> set, a push made on one node reaches the user's
/// connections on every node. Redis is a hint path only (the feed in the database is the truth), so the
/// connection is set up to never stand in the way: a node starts without Redis and connects when it can, and
/// while Redis is away a publish fails at once instead of queueing, so pushes are dropped (clients poll the
/// feed) rather than piled up behind a dead connection.
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
        return signalR.AddStackExchangeRedis(o => o.Configuration = Options(connection, prefix));
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
