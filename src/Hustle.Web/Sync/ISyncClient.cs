namespace Hustle.Web.Sync;

/// <summary>What the server sends to a connected client over <c>/hubs/sync</c>.</summary>
public interface ISyncClient
{
    /// <summary>A feed event, pushed after its commit. A hint: the feed stays the truth.</summary>
    Task Event(FeedEnvelope envelope);
}
