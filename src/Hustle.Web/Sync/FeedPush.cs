using System.Text.Json;
using Hustle.Domain;

namespace Hustle.Web.Sync;

public static class FeedEnvelopes
{
    /// <summary>A stored feed row as the contract's envelope.</summary>
    public static FeedEnvelope ToEnvelope(this FeedEvent e)
    {
        using var doc = JsonDocument.Parse(e.Data);
        return new(e.Seq, e.EventId, e.Type, e.JobId, e.At, doc.RootElement.Clone());
    }
}

/// <summary>An envelope on its way to one user's connections, stamped with the commit time for latency metrics.</summary>
public sealed record FeedPush(string UserId, FeedEnvelope Envelope, long CommittedAtTimestamp);
