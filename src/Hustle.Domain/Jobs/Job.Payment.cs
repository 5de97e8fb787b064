namespace Hustle.Domain.Jobs;

/// <summary>What the job records about its money: paid, a failed capture, a renewed hold, a provider's update.</summary>
public sealed partial class Job
{
    /// <summary>The hold was captured: the job is PAID (by the customer's confirmation or by auto-confirm).</summary>
    public void MarkPaid(Actor actor, long capturedAmount, string paymentId, DateTimeOffset now)
    {
        var role = RoleIn(actor);
        var row = EnsureCanBePaid(role);
        CapturedAmount = capturedAmount;
        PaymentStatus = PaymentStatus.Captured;
        Apply(row, actor, now, null, new() { ["paymentId"] = paymentId, ["capturedAmount"] = capturedAmount, ["currency"] = Currency }, EventTypes.PaymentCaptured, [CustomerId, HustlerId!]);
    }

    /// <summary>Throws unless confirm (customer) or auto-confirm (system) may capture now.</summary>
    public Transition EnsureCanBePaid(ActorRole role)
    {
        var action = role == ActorRole.System ? JobAction.AutoConfirm : JobAction.ConfirmAndPay;
        var row = EnsureAllowed(action, role);
        if (action == JobAction.AutoConfirm && Disputed)
        {
            throw new JobRuleException(JobError.InvalidTransition(Status, action, role) with { Message = "A disputed job is not auto-confirmed." });
        }

        return row;
    }

    /// <summary>A capture failed: the job stays where it is, marked CAPTURE_FAILED; the next attempt gets a new key.</summary>
    public void RecordCaptureFailure(Actor actor, string reason, DateTimeOffset now)
    {
        EnsureCanBePaid(RoleIn(actor));
        PaymentStatus = PaymentStatus.CaptureFailed;
        CaptureAttempt++;
        Touch(now);
        _newHistory.Add(new JobHistoryEntry(Id, now, actor.Name, "CAPTURE_FAILED", Status, Status, reason));
        Emit(EventTypes.PaymentFailed, [CustomerId, HustlerId!], new() { ["paymentStatus"] = "CAPTURE_FAILED", ["reason"] = reason });
    }

    /// <summary>
    /// A hold about to lapse was renewed (or could not be): recorded and told to both parties. A failed renewal
    /// leaves the old hold, and its amount, in place until it lapses.
    /// </summary>
    public void RecordReauthorization(bool succeeded, long? authorizedAmount, string? reason, DateTimeOffset now)
    {
        var row = EnsureAllowed(JobAction.ReauthorizePayment, ActorRole.System);
        PaymentStatus = succeeded ? PaymentStatus.Authorized : PaymentStatus.AuthorizationFailed;
        AuthorizedAmount = succeeded ? authorizedAmount : AuthorizedAmount;
        var data = new Dictionary<string, object?> { ["paymentStatus"] = JobText.UpperSnake(PaymentStatus.ToString()), ["authorizedAmount"] = AuthorizedAmount, ["reason"] = reason };
        Apply(row, Actor.System, now, reason, data, succeeded ? EventTypes.PaymentUpdated : EventTypes.PaymentFailed, [CustomerId, HustlerId!]);
    }

    /// <summary>Payment facts learned outside a transition (a provider webhook): recorded and told to both parties.</summary>
    public void RecordPaymentUpdate(PaymentStatus status, long? capturedAmount, string reason, DateTimeOffset now)
    {
        PaymentStatus = status;
        CapturedAmount = capturedAmount ?? CapturedAmount;
        if (status == PaymentStatus.Voided)
        {
            AuthorizedAmount = null;
        }

        Touch(now);
        _newHistory.Add(new JobHistoryEntry(Id, now, Actor.System.Name, "PAYMENT_UPDATED", Status, Status, reason));
        Emit(EventTypes.PaymentUpdated, [.. new[] { CustomerId, HustlerId }.OfType<string>()], new() { ["paymentStatus"] = JobText.UpperSnake(status.ToString()), ["capturedAmount"] = CapturedAmount, ["reason"] = reason });
    }
}
