namespace Hustle.Web.Payments;

public enum PaymentCallState
{
    /// <summary>Written before the gateway call; still so if the process died before the outcome was saved.</summary>
    Started,
    Succeeded,
    Declined,
    Failed,
    IdempotencyMismatch,
    Unavailable,

    /// <summary>Succeeded at the provider, then undone because the change it paid for did not commit.</summary>
    Compensated,

    /// <summary>A hold that succeeded but no committed change uses: claimed by the reconciler, which voids it.</summary>
    Orphaned,
}

/// <summary>Every gateway call Hustle made for a job, with its deterministic idempotency key and its outcome.</summary>
/// <remarks>Saved under <see cref="Version"/>: the request that made the call and the reconciler repeating it cannot both record an outcome.</remarks>
public sealed class PaymentCall
{
    public long Id { get; init; }

    public required string JobId { get; init; }

    /// <summary><c>authorize</c>, <c>increase</c>, <c>reauthorize</c>, <c>capture</c>, <c>void</c>, <c>refund</c>.</summary>
    public required string Operation { get; init; }

    public required string IdempotencyKey { get; init; }

    public required long Amount { get; init; }

    public string? HoldId { get; set; }

    /// <summary>For a hold replaced by a new one (increase without incremental support, renewal): the old hold, now voided.</summary>
    public string? ReplacedHoldId { get; private set; }

    /// <summary>The payment method the call was made with, so a repeat is the same request.</summary>
    public string? PaymentMethod { get; init; }

    public PaymentCallState State { get; private set; } = PaymentCallState.Started;

    public string? Error { get; private set; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? SettledAt { get; private set; }

    /// <summary>The optimistic concurrency token: one more on every outcome recorded.</summary>
    public int Version { get; private set; }

    /// <summary>A hold this call took was voided because the change it was for never committed: its key is burned.</summary>
    public void MarkCompensated()
    {
        State = PaymentCallState.Compensated;
        Version++;
    }

    /// <summary>The gateway's answer, recorded once.</summary>
    public void Settle(PaymentCallState state, string? holdId, string? error, DateTimeOffset now)
    {
        var before = HoldId;
        State = state;
        HoldId = holdId ?? before;
        ReplacedHoldId = state == PaymentCallState.Succeeded && before is not null && holdId is not null && holdId != before && Operation != "void" ? before : null;
        Error = error;
        SettledAt = now;
        Version++;
    }
}
