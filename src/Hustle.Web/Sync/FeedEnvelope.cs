using System.Text.Json;

namespace Hustle.Web.Sync;

/// <summary>The contract's event envelope: <c>{ seq, id, type, jobId, at, data }</c>.</summary>
public sealed record FeedEnvelope(long Seq, string Id, string Type, string? JobId, DateTimeOffset At, JsonElement Data)
{
    public static FeedEnvelope From(FeedEvent e)
    {
        using var doc = JsonDocument.Parse(e.Data);
        return new(e.Seq, e.EventId, e.Type, e.JobId, e.At, doc.RootElement.Clone());
    }
}

/// <summary>An envelope on its way to one user's connections, stamped with the commit time for latency metrics.</summary>
public sealed record FeedPush(string UserId, FeedEnvelope Envelope, long CommittedAtTimestamp);
