namespace Hustle.Web.Sync;

/// <summary>One event in one user's feed. (<see cref="UserId"/>, <see cref="Seq"/>) is gap-free and unique.</summary>
public sealed class FeedEvent
{
    public required string UserId { get; init; }

    public required long Seq { get; init; }

    /// <summary>The event's id, shared by every recipient's copy.</summary>
    public required string EventId { get; init; }

    public required string Type { get; init; }

    public string? JobId { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>The payload as projected for this recipient, as JSON.</summary>
    public required string Data { get; init; }
}

/// <summary>A user's last feed seq; incremented inside the transaction that writes the events, so seqs never skip.</summary>
public sealed class FeedCounter
{
    public required string UserId { get; init; }

    public long LastSeq { get; set; }
}
