namespace Hustle.Web.Payments;

/// <summary>A job's money as Hustle knows it: the current hold and what was captured, voided and refunded.</summary>
/// <remarks>
/// Written under <see cref="Version"/>: a tracked change is saved only if nobody changed the row since it was read
/// (<see cref="Data.HustleDb"/> bumps the version on every save), and an update outside a job's transition is a
/// single conditional UPDATE on the version it read. So no writer can put back a hold that another one replaced.
/// </remarks>
public sealed class Payment
{
    public required string JobId { get; init; }

    public required string Provider { get; set; }

    public required string Currency { get; set; }

    public string? PaymentMethod { get; set; }

    /// <summary>The provider's id of the current hold (a payment intent at Stripe).</summary>
    public string? HoldId { get; set; }

    public long AuthorizedAmount { get; set; }

    public long CapturedAmount { get; set; }

    public long VoidedAmount { get; set; }

    public long RefundedAmount { get; set; }

    public DateTimeOffset? HoldExpiresAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The optimistic concurrency token: one more on every change.</summary>
    public int Version { get; private set; }
}

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
}

/// <summary>Every gateway call Hustle made for a job, with its deterministic idempotency key and its outcome.</summary>
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
    public string? ReplacedHoldId { get; set; }

    /// <summary>The payment method the call was made with, so a repeat is the same request.</summary>
    public string? PaymentMethod { get; init; }

    public PaymentCallState State { get; set; }

    public string? Error { get; set; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? SettledAt { get; set; }
}
