namespace Hustle.Domain.Jobs;

/// <summary>Calling a match off, asking to be paid, disputes, cancelling and expiry.</summary>
public sealed partial class Job
{
    /// <summary>Sends the job back to OPEN before work started; the caller has voided the hold.</summary>
    public void Unassign(Actor actor, string? reason, DateTimeOffset now)
    {
        var role = RoleIn(actor);
        var row = EnsureAllowed(JobAction.Unassign, role);
        var formerHustler = HustlerId!;
        HustlerId = null;
        StartCode = CompletionCode = null;
        ResetCodeTries();
        AuthorizedAmount = null;
        PaymentStatus = PaymentStatus.Voided;
        ClosePendingProposal(ProposalStatus.Superseded, now);
        Apply(row, actor, now, reason, new() { ["hustlerId"] = formerHustler, ["by"] = JobText.UpperSnake(role.ToString()) }, EventTypes.JobUnassigned, [CustomerId, formerHustler]);
    }

    /// <summary>The hustler asks to be paid, optionally billing fewer minutes than the clock gave (hourly only).</summary>
    public void RequestPayment(Actor actor, int? billableMinutes, DateTimeOffset now)
    {
        var row = EnsureAllowed(JobAction.RequestPayment, RoleIn(actor));
        if (billableMinutes is { } minutes)
        {
            if (PricingType != PricingType.Hourly)
            {
                throw new JobRuleException(JobError.Validation("billableMinutes applies to HOURLY jobs only."));
            }

            if (minutes < 1 || minutes > BilledMinutes)
            {
                throw new JobRuleException(JobError.Validation($"billableMinutes must be between 1 and {BilledMinutes}; it can only lower the billed time."));
            }

            BilledMinutes = minutes;
            FinalAmount = HoursCost(HourlyRate!.Value, minutes);
        }

        PaymentRequestedAt = now;
        Apply(row, actor, now, null, new() { ["finalAmount"] = FinalAmount, ["billedMinutes"] = BilledMinutes, ["currency"] = Currency }, EventTypes.PaymentRequested, [CustomerId, HustlerId!]);
    }

    public void Dispute(Actor customer, string? reason, DateTimeOffset now)
    {
        var row = EnsureAllowed(JobAction.Dispute, RoleIn(customer));
        if (Disputed)
        {
            throw new JobRuleException(JobError.InvalidTransition(Status, JobAction.Dispute, ActorRole.Customer) with { Message = "The job is already disputed." });
        }

        Disputed = true;
        Apply(row, customer, now, reason, new() { ["disputed"] = true, ["reason"] = reason }, EventTypes.JobDisputed, [CustomerId, HustlerId!]);
    }

    /// <summary>An operator settles a dispute by cancelling the job; the caller voids the hold once this is committed.</summary>
    public void ResolveDisputeByCancelling(Actor operatorActor, string? reason, DateTimeOffset now)
    {
        var row = EnsureResolvable(operatorActor);
        PaymentStatus = PaymentStatus.Voided;
        AuthorizedAmount = null;
        Apply(row, operatorActor, now, reason, new() { ["reason"] = reason, ["paymentStatus"] = "VOIDED" }, EventTypes.JobCancelled, [CustomerId, HustlerId!]);
    }

    /// <summary>Throws unless <paramref name="operatorActor"/> may settle a dispute on this job now.</summary>
    public Transition EnsureResolvable(Actor operatorActor)
    {
        var role = RoleIn(operatorActor);
        var row = EnsureAllowed(JobAction.ResolveDisputeCancel, role);
        if (!Disputed)
        {
            throw new JobRuleException(JobError.InvalidTransition(Status, JobAction.ResolveDisputeCancel, role) with { Message = "Only a disputed job can be resolved." });
        }

        return row;
    }

    public void Cancel(Actor customer, string? reason, DateTimeOffset now)
    {
        var row = EnsureAllowed(JobAction.Cancel, RoleIn(customer));
        var told = EveryoneConcerned();
        DeclineAllPending(now);
        Apply(row, customer, now, reason, new() { ["reason"] = reason }, EventTypes.JobCancelled, told);
    }

    public void Expire(DateTimeOffset now)
    {
        var row = EnsureAllowed(JobAction.Expire, ActorRole.System);
        if (now < ExpiresAt)
        {
            throw new JobRuleException(JobError.InvalidTransition(Status, JobAction.Expire, ActorRole.System) with { Message = "The job has not reached its expiry time." });
        }

        var told = EveryoneConcerned();
        DeclineAllPending(now);
        Apply(row, Actor.System, now, null, new() { ["expiresAt"] = ExpiresAt }, EventTypes.JobExpired, told);
    }
}
