using Hustle.Domain;

namespace Hustle.Web.Sync;

/// <summary>What the server sends to a connected client over <c>/hubs/sync</c>.</summary>
public interface ISyncClient
{
    /// <summary>A feed event, pushed after its commit. A hint: the feed stays the truth.</summary>
    Task Event(FeedEnvelope envelope);

    /// <summary>The other member of a thread is typing in it. Ephemeral: never in the feed.</summary>
    Task Typing(TypingSignal signal);

    /// <summary>Someone who shares presence with this user (a live job, or a conversation both wrote in) came online or went offline. Ephemeral: never in the feed.</summary>
    Task Presence(PresenceSignal signal);
}

/// <summary><c>typing({threadId, userId})</c>.</summary>
public sealed record TypingSignal(string ThreadId, string UserId);

/// <summary><c>presence({userId, online, lastSeenAt})</c>; <see cref="LastSeenAt"/> is null while online.</summary>
public sealed record PresenceSignal(string UserId, bool Online, DateTimeOffset? LastSeenAt);
