namespace Hustle.Web.Payments;

/// <summary>
/// A payment provider that holds money on a customer's payment method and captures it later (docs/ARCHITECTURE.md, "Money").
/// Every call carries an idempotency key derived from the operation (<c>job/{id}/capture/v{n}</c>): a repeated
/// call with the same key and parameters returns the first answer and never moves money twice; the same key with
/// other parameters answers <see cref="GatewayOutcome.IdempotencyMismatch"/>.
/// Implementations never throw for a provider's answer; they throw only for programming errors.
/// </summary>
public interface IPaymentGateway
{
    /// <summary>The provider's name, recorded on each payment (<c>simulated</c>, <c>stripe</c>).</summary>
    string Name { get; }

    /// <summary>Puts <see cref="AuthorizeRequest.Amount"/> on hold (a manual-capture payment intent).</summary>
    Task<GatewayResult> AuthorizeAsync(AuthorizeRequest request, CancellationToken ct);

    /// <summary>
    /// Makes the hold cover a new, larger amount: an incremental authorization where the hold supports it,
    /// otherwise a new hold followed by a void of the old one (the result then carries the new hold id).
    /// With <see cref="ChangeAmountRequest.ForceNewHold"/> it always takes a new hold, on the request's payment method, even
    /// when the old hold is gone (renewal before a lapse, a move to another card); an old hold still open is voided.
    /// </summary>
    Task<GatewayResult> IncreaseAsync(ChangeAmountRequest request, CancellationToken ct);

    /// <summary>Captures up to the authorized amount; a smaller amount releases the rest.</summary>
    Task<GatewayResult> CaptureAsync(CaptureRequest request, CancellationToken ct);

    /// <summary>
    /// Releases an uncaptured hold (not a refund). A hold already released (lapsed, or voided before) is released:
    /// that succeeds with amount 0 (a dispute can outlive a hold). A captured hold cannot be voided.
    /// </summary>
    Task<GatewayResult> VoidAsync(HoldRequest request, CancellationToken ct);

    /// <summary>Returns captured money to the customer.</summary>
    Task<GatewayResult> RefundAsync(RefundRequest request, CancellationToken ct);
}

/// <param name="CustomerId">Hustle's user id of the payer.</param>
/// <param name="PaymentMethod">The saved payment method (<c>pm_card_visa</c>, …).</param>
/// <param name="JobId">Recorded as metadata so the provider's records point back to the job.</param>
public sealed record AuthorizeRequest(string CustomerId, string PaymentMethod, long Amount, string Currency, string JobId, string IdempotencyKey);

public sealed record ChangeAmountRequest(string HoldId, string CustomerId, string PaymentMethod, long NewAmount, string Currency, string JobId, string IdempotencyKey, bool ForceNewHold = false);

public sealed record CaptureRequest(string HoldId, long Amount, string IdempotencyKey);

public sealed record HoldRequest(string HoldId, string IdempotencyKey);

public sealed record RefundRequest(string HoldId, long Amount, string IdempotencyKey);

public enum GatewayOutcome
{
    Succeeded,

    /// <summary>The card was declined when authorizing (402 <c>payment_declined</c>).</summary>
    Declined,

    /// <summary>The provider refused the operation, e.g. a capture failed (402 <c>payment_failed</c>).</summary>
    Failed,

    /// <summary>The key was used before with other parameters (422 <c>idempotency_mismatch</c>).</summary>
    IdempotencyMismatch,

    /// <summary>The provider could not be reached or kept failing after retries: the outcome is unknown (503).</summary>
    Unavailable,
}

/// <param name="HoldId">The hold (payment intent) the money now sits on; a new id when the hold was replaced.</param>
/// <param name="Amount">The amount authorized, captured, voided or refunded by this call.</param>
/// <param name="HoldExpiresAt">When an uncaptured hold lapses, if the provider says.</param>
/// <param name="Incremental">For <see cref="IPaymentGateway.IncreaseAsync"/>: true when the existing hold was incremented in place.</param>
public sealed record GatewayResult(
    GatewayOutcome Outcome,
    string? HoldId,
    long Amount,
    DateTimeOffset? HoldExpiresAt = null,
    bool Incremental = false,
    string? FailureCode = null,
    string? FailureMessage = null)
{
    public bool Succeeded => Outcome == GatewayOutcome.Succeeded;

    public static GatewayResult Failure(GatewayOutcome outcome, string code, string message) => new(outcome, null, 0, FailureCode: code, FailureMessage: message);
}
