namespace Hustle.Web.Payments;

/// <summary>
/// A job's money as Hustle knows it: the current hold, and what was captured and refunded of it, and everything
/// voided. Only its movements change it, each refusing what the money cannot do; <see cref="JobPayments"/> makes the
/// gateway call first and records its outcome here.
/// </summary>
/// <remarks>
/// Written under <see cref="Version"/>: a tracked change is saved only if nobody changed the row since it was read
/// (<see cref="Data.HustleDb"/> bumps the version on every save), and an update outside a job's transition is a
/// single conditional UPDATE on the version it read. So no writer can put back a hold that another one replaced.
/// </remarks>
public sealed class Payment
{
    public required string JobId { get; init; }

    public required string Provider { get; set; }

    public required string Currency { get; init; }

    public string? PaymentMethod { get; private set; }

    /// <summary>The provider's id of the current hold (a payment intent at Stripe).</summary>
    public string? HoldId { get; private set; }

    public long AuthorizedAmount { get; private set; }

    /// <summary>Captured of the current hold.</summary>
    public long CapturedAmount { get; private set; }

    /// <summary>Every hold released without a capture, summed.</summary>
    public long VoidedAmount { get; private set; }

    /// <summary>Refunded of the current hold's capture (or of a capture whose change never committed).</summary>
    public long RefundedAmount { get; private set; }

    public DateTimeOffset? HoldExpiresAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>The optimistic concurrency token: one more on every change.</summary>
    public int Version { get; private set; }

    /// <summary>The current hold can still be captured: it is held, and neither captured nor given back.</summary>
    public bool CanCapture => HoldId is not null && AuthorizedAmount > 0 && CapturedAmount == 0 && RefundedAmount == 0;

    /// <summary>A capture of <paramref name="holdId"/> is recorded as kept: it is never refunded as a lost one, nor recorded again.</summary>
    public bool Keeps(string holdId) => HoldId == holdId && CapturedAmount > 0;

    /// <summary>The hold was let go without a capture (voided by Hustle, or released or lapsed at the provider).</summary>
    public bool IsReleased => AuthorizedAmount == 0 && VoidedAmount > 0;

    /// <summary>Money is held and not yet captured: there is something to release (a hold spent by a capture is not).</summary>
    public bool HoldsUncapturedMoney => HoldId is not null && AuthorizedAmount > 0 && CapturedAmount == 0;

    /// <summary>A hold taken for the job (at accept): the record starts over on it.</summary>
    public void Hold(string provider, GatewayResult hold, string paymentMethod, DateTimeOffset now)
    {
        Provider = provider;
        Replace(hold, paymentMethod, now);
    }

    /// <summary>A new hold in place of the current one (renewal, another card, a spent hold): nothing of it is captured yet.</summary>
    public void Replace(GatewayResult hold, string paymentMethod, DateTimeOffset now)
    {
        Require(hold is { Succeeded: true, HoldId: not null }, "Only a hold the provider granted can be recorded.");
        PaymentMethod = paymentMethod;
        HoldId = hold.HoldId;
        AuthorizedAmount = hold.Amount;
        CapturedAmount = 0;
        RefundedAmount = 0;
        HoldExpiresAt = hold.HoldExpiresAt ?? HoldExpiresAt;
        UpdatedAt = now;
    }

    /// <summary>The hold covers a larger amount: grown in place, or moved to a new hold on the same card.</summary>
    public void Raise(GatewayResult grown, DateTimeOffset now)
    {
        Require(grown is { Succeeded: true, HoldId: not null } && grown.Amount >= AuthorizedAmount, "A raise must grant at least what is held.");
        Require(CapturedAmount == 0, "A captured hold cannot be raised.");
        HoldId = grown.HoldId;
        AuthorizedAmount = grown.Amount;
        HoldExpiresAt = grown.HoldExpiresAt ?? HoldExpiresAt;
        UpdatedAt = now;
    }

    /// <summary>A capture of <paramref name="holdId"/> went through (by Hustle, or learned from the journal after a crash).</summary>
    public void Capture(string holdId, long amount, DateTimeOffset now)
    {
        Require(amount > 0 && RefundedAmount == 0 || holdId != HoldId, "A capture that was given back cannot be recorded as kept.");
        HoldId = holdId;
        AuthorizedAmount = Math.Max(AuthorizedAmount, amount);
        CapturedAmount = amount;
        RefundedAmount = 0;
        UpdatedAt = now;
    }

    /// <summary>The hold is let go: nothing is held any more. It stays on the record, so the provider's news about it is recognised.</summary>
    public void Release(DateTimeOffset now)
    {
        Require(CapturedAmount == 0, "A captured hold cannot be released; refund it.");
        VoidedAmount += AuthorizedAmount;
        AuthorizedAmount = 0;
        UpdatedAt = now;
    }

    /// <summary>The hold is let go and is no longer the job's (the job reopens and a new accept takes a new one).</summary>
    public void GiveUpHold(DateTimeOffset now)
    {
        Release(now);
        HoldId = null;
    }

    /// <summary>
    /// A capture whose change did not commit was refunded: the hold is spent, so the next confirmation holds the money
    /// anew instead of replaying a capture that was given back. A capture of another hold leaves the record alone,
    /// unless that hold replaced the current one (<paramref name="replacementCard"/>: the lost change had held anew,
    /// and the provider voided the current hold for it): the record then moves to that spent hold. Left on the voided
    /// hold, the next confirmation would hold anew with the lost change's key, get the spent hold back and replay its
    /// refunded capture as a success.
    /// </summary>
    public void RecordRefundedCapture(string holdId, long amount, DateTimeOffset now, string? replacementCard = null)
    {
        if (holdId != HoldId)
        {
            if (replacementCard is null)
            {
                return;
            }

            PaymentMethod = replacementCard;
            HoldId = holdId;
            CapturedAmount = 0;
            RefundedAmount = 0;
        }

        Require(CapturedAmount == 0, "A kept capture is refunded with a refund, not as a lost one.");
        AuthorizedAmount = 0;
        RefundedAmount += amount;
        UpdatedAt = now;
    }

    /// <summary>The provider says the capture was made outside Hustle (the Stripe dashboard).</summary>
    public void RecordCapturedAtProvider(long amount, DateTimeOffset now)
    {
        CapturedAmount = amount;
        UpdatedAt = now;
    }

    /// <summary>The provider says this much of the capture is refunded in all (the Stripe dashboard).</summary>
    public void RecordRefundedAtProvider(long refundedInAll, long captured, DateTimeOffset now)
    {
        Require(refundedInAll >= RefundedAmount, "A refund cannot be taken back.");
        RefundedAmount = refundedInAll;
        CapturedAmount = Math.Max(CapturedAmount, captured);
        UpdatedAt = now;
    }

    private static void Require(bool allowed, string why)
    {
        if (!allowed)
        {
            throw new InvalidOperationException(why);
        }
    }
}
