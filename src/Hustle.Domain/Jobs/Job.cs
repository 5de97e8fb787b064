using System.Security.Cryptography;
using System.Text;

namespace Hustle.Domain.Jobs;

/// <summary>
/// A job and everything that belongs to it: offers, price proposals, codes. It owns its status: every change goes
/// through <see cref="Apply"/>, which consults <see cref="TransitionTable"/>, and records a history line and the
/// events for the feed. A refused action throws <see cref="JobRuleException"/> before anything is touched.
/// </summary>
public sealed class Job
{
    public const int MaxCodeTries = 5;
    public static readonly TimeSpan CodeLockout = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan BillingIncrement = TimeSpan.FromMinutes(15);

    private readonly List<Offer> _offers = [];
    private readonly List<PriceProposal> _priceProposals = [];
    private readonly List<JobHistoryEntry> _newHistory = [];
    private readonly List<JobEvent> _newEvents = [];

    private Job()
    {
        Id = Title = Description = Area = Location = Currency = CustomerId = "";
    }

    public string Id { get; private set; }

    public string Title { get; private set; }

    public string Description { get; private set; }

    public string Area { get; private set; }

    public string Location { get; private set; }

    public PricingType PricingType { get; private set; }

    /// <summary>Flat jobs: the agreed price in minor units.</summary>
    public long? Amount { get; private set; }

    /// <summary>Hourly jobs: the rate per hour in minor units.</summary>
    public long? HourlyRate { get; private set; }

    /// <summary>Hourly jobs: the estimate the hold is sized for, in minutes (quarter hours).</summary>
    public int? EstimatedMinutes { get; private set; }

    public string Currency { get; private set; }

    public JobStatus Status { get; private set; }

    public PaymentStatus PaymentStatus { get; private set; }

    /// <summary>The amount currently held on the customer's payment method.</summary>
    public long? AuthorizedAmount { get; private set; }

    public long? CapturedAmount { get; private set; }

    public bool Disputed { get; private set; }

    public string CustomerId { get; private set; }

    public string? HustlerId { get; private set; }

    public string? StartCode { get; private set; }

    public string? CompletionCode { get; private set; }

    public bool StartCodeVerified { get; private set; }

    public bool CompletionCodeVerified { get; private set; }

    public int StartCodeFailures { get; private set; }

    public DateTimeOffset? StartCodeLockedUntil { get; private set; }

    public int CompletionCodeFailures { get; private set; }

    public DateTimeOffset? CompletionCodeLockedUntil { get; private set; }

    public DateTimeOffset? ScheduledFor { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    /// <summary>Hourly jobs: the minutes billed, after rounding, the cap and any lowering by the hustler.</summary>
    public int? BilledMinutes { get; private set; }

    public long? FinalAmount { get; private set; }

    public DateTimeOffset? PaymentRequestedAt { get; private set; }

    /// <summary>Bumped when a capture fails, so the next attempt (after a new payment method) uses a new idempotency key.</summary>
    public int CaptureAttempt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Optimistic concurrency token: every change increments it, and a save of a stale copy is refused.</summary>
    public int Version { get; private set; }

    public IReadOnlyList<Offer> Offers => _offers;

    public IReadOnlyList<PriceProposal> PriceProposals => _priceProposals;

    /// <summary>History lines recorded since the job was loaded, to be saved with it.</summary>
    public IReadOnlyList<JobHistoryEntry> NewHistory => _newHistory;

    /// <summary>Events recorded since the job was loaded, to be written to the feed in the same transaction.</summary>
    public IReadOnlyList<JobEvent> NewEvents => _newEvents;

    public IEnumerable<Offer> PendingOffers => _offers.Where(o => o.Status == OfferStatus.Pending);

    public PriceProposal? PendingPriceProposal => _priceProposals.FirstOrDefault(p => p.Status == ProposalStatus.Pending);

    /// <summary>What the hold should be: the flat amount, or the hourly rate times the estimate.</summary>
    public long PriceToAuthorize => PricingType == PricingType.Flat
        ? Amount ?? 0
        : HoursCost(HourlyRate ?? 0, EstimatedMinutes ?? 0);

    public static Job Post(string id, string customerId, JobDraft draft, DateTimeOffset now)
    {
        var job = new Job
        {
            Id = id,
            CustomerId = customerId,
            Title = draft.Title,
            Description = draft.Description,
            Area = draft.Area,
            Location = draft.Location,
            PricingType = draft.PricingType,
            Amount = draft.PricingType == PricingType.Flat ? draft.Amount : null,
            HourlyRate = draft.PricingType == PricingType.Hourly ? draft.HourlyRate : null,
            EstimatedMinutes = draft.PricingType == PricingType.Hourly ? draft.EstimatedMinutes : null,
            Currency = draft.Currency,
            ScheduledFor = draft.ScheduledFor,
            ExpiresAt = draft.ExpiresAt,
            Status = JobStatus.Open,
            PaymentStatus = PaymentStatus.None,
            CreatedAt = now,
            UpdatedAt = now,
        };
        job._newHistory.Add(new JobHistoryEntry(id, now, customerId, "POST", JobStatus.Open, JobStatus.Open, null));
        job.Emit(EventTypes.JobCreated, [customerId], job.StatusData());
        return job;
    }

    /// <summary>The part <paramref name="userId"/> plays for this job.</summary>
    public ActorRole RoleOf(string userId) =>
        userId == CustomerId ? ActorRole.Customer
        : userId == HustlerId ? ActorRole.AssignedHustler
        : _offers.Any(o => o.HustlerId == userId && o.Status == OfferStatus.Pending) ? ActorRole.OfferHustler
        : ActorRole.Outsider;

    /// <summary>Whether the user may see this job's private details (address, history, offers of their own).</summary>
    public bool IsParticipant(string userId) =>
        userId == CustomerId || userId == HustlerId || _offers.Any(o => o.HustlerId == userId);

    /// <summary>Throws unless the table allows <paramref name="action"/> by <paramref name="role"/> now.</summary>
    public Transition EnsureAllowed(JobAction action, ActorRole role) =>
        TransitionTable.Find(Status, action, role) ?? throw new JobRuleException(JobError.InvalidTransition(Status, action, role));

    public void Edit(Actor actor, JobEdit edit, DateTimeOffset now)
    {
        var role = RoleIn(actor);
        if (edit.ChangesPrice && StartCodeVerified && role == ActorRole.Customer)
        {
            throw new JobRuleException(JobError.PriceLocked);
        }

        var row = EnsureAllowed(JobAction.Edit, role);
        if (edit.ChangesPrice && Status == JobStatus.Scheduled)
        {
            throw new JobRuleException(JobError.PriceLocked);
        }

        if (edit.Amount is not null && PricingType != PricingType.Flat || (edit.HourlyRate ?? edit.EstimatedMinutes) is not null && PricingType != PricingType.Hourly)
        {
            throw new JobRuleException(JobError.Validation($"A {JobText.UpperSnake(PricingType.ToString())} job has no such price field."));
        }

        Title = edit.Title ?? Title;
        Description = edit.Description ?? Description;
        Area = edit.Area ?? Area;
        Location = edit.Location ?? Location;
        Amount = edit.Amount ?? Amount;
        HourlyRate = edit.HourlyRate ?? HourlyRate;
        EstimatedMinutes = edit.EstimatedMinutes ?? EstimatedMinutes;
        ScheduledFor = edit.ScheduledFor ?? ScheduledFor;
        ExpiresAt = edit.ExpiresAt ?? ExpiresAt;
        var fields = edit.ChangedFields();
        Apply(row, actor, now, reason: null, data: new() { ["fields"] = fields }, eventType: EventTypes.JobUpdated, recipients: EveryoneConcerned());
    }

    public Offer MakeOffer(string offerId, Actor hustler, long? proposedAmount, string? message, DateTimeOffset now)
    {
        var row = EnsureAllowed(JobAction.MakeOffer, RoleIn(hustler));
        EnsureNotPastExpiry(JobAction.MakeOffer, RoleIn(hustler), now);
        if (proposedAmount is not null && PricingType != PricingType.Flat)
        {
            throw new JobRuleException(JobError.Validation("proposedAmount applies to FLAT jobs only; an hourly job's rate changes through a price proposal once scheduled."));
        }

        var offer = new Offer(offerId, Id, hustler.UserId!, proposedAmount, message, now);
        _offers.Add(offer);
        Apply(row, hustler, now, null, OfferData(offer), EventTypes.OfferReceived, [CustomerId, offer.HustlerId]);
        return offer;
    }

    public Offer WithdrawOffer(string offerId, Actor hustler, DateTimeOffset now)
    {
        var offer = PendingOffer(offerId);
        var role = offer.HustlerId == hustler.UserId ? ActorRole.OfferHustler : RoleIn(hustler) == ActorRole.OfferHustler ? ActorRole.Outsider : RoleIn(hustler);
        var row = EnsureAllowed(JobAction.WithdrawOffer, role);
        offer.Close(OfferStatus.Withdrawn, now);
        Apply(row, hustler, now, null, OfferData(offer), EventTypes.OfferWithdrawn, [CustomerId, offer.HustlerId]);
        return offer;
    }

    public Offer DeclineOffer(string offerId, Actor customer, string? reason, DateTimeOffset now)
    {
        var offer = PendingOffer(offerId);
        var row = EnsureAllowed(JobAction.DeclineOffer, RoleIn(customer));
        offer.Close(OfferStatus.Declined, now);
        Apply(row, customer, now, reason, OfferData(offer), EventTypes.OfferDeclined, [CustomerId, offer.HustlerId]);
        return offer;
    }

    /// <summary>The amount accepting <paramref name="offerId"/> puts on hold: the proposed or posted amount, or rate × estimate.</summary>
    public long AmountToAuthorizeFor(string offerId)
    {
        var offer = PendingOffer(offerId);
        return PricingType == PricingType.Flat ? offer.ProposedAmount ?? Amount ?? 0 : PriceToAuthorize;
    }

    /// <summary>Accepts one offer after its payment was authorized: declines the others, sets the hustler and the codes.</summary>
    public void AcceptOffer(string offerId, Actor customer, long authorizedAmount, string startCode, string completionCode, DateTimeOffset now)
    {
        var offer = PendingOffer(offerId);
        var row = EnsureAllowed(JobAction.AcceptOffer, RoleIn(customer));
        EnsureNotPastExpiry(JobAction.AcceptOffer, ActorRole.Customer, now);
        if (PricingType == PricingType.Flat && offer.ProposedAmount is { } proposed)
        {
            Amount = proposed;
        }

        offer.Close(OfferStatus.Accepted, now);
        foreach (var other in PendingOffers.ToList())
        {
            other.Close(OfferStatus.Declined, now);
            Emit(EventTypes.OfferDeclined, [other.HustlerId], OfferData(other, "ANOTHER_OFFER_ACCEPTED"));
        }

        HustlerId = offer.HustlerId;
        StartCode = startCode;
        CompletionCode = completionCode;
        ResetCodeTries();
        AuthorizedAmount = authorizedAmount;
        PaymentStatus = PaymentStatus.Authorized;
        var data = new Dictionary<string, object?> { ["hustlerId"] = HustlerId, ["offerId"] = offer.Id, ["amount"] = Amount, ["authorizedAmount"] = authorizedAmount };
        var codes = new Dictionary<string, object?> { ["startCode"] = startCode, ["completionCode"] = completionCode };
        Apply(row, customer, now, null, data, EventTypes.JobAssigned, [CustomerId, HustlerId], codes);
    }

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

    public CodeCheck VerifyStartCode(Actor hustler, string code, DateTimeOffset now)
    {
        var row = EnsureAllowed(JobAction.VerifyStartCode, RoleIn(hustler));
        var check = CheckCode(code, StartCode!, isStart: true, now);
        if (check.Outcome == CodeCheckOutcome.Accepted)
        {
            StartCodeVerified = true;
            StartedAt = now;
            ClosePendingProposal(ProposalStatus.Superseded, now);
            Apply(row, hustler, now, null, new() { ["startedAt"] = now }, EventTypes.JobStarted, [CustomerId, HustlerId!]);
        }

        return check;
    }

    public CodeCheck VerifyCompletionCode(Actor hustler, string code, DateTimeOffset now)
    {
        var row = EnsureAllowed(JobAction.VerifyCompletionCode, RoleIn(hustler));
        var check = CheckCode(code, CompletionCode!, isStart: false, now);
        if (check.Outcome != CodeCheckOutcome.Accepted)
        {
            return check;
        }

        CompletionCodeVerified = true;
        CompletedAt = now;
        if (PricingType == PricingType.Hourly)
        {
            var worked = now - StartedAt!.Value;
            var increments = (int)Math.Ceiling(worked.TotalMinutes / BillingIncrement.TotalMinutes);
            BilledMinutes = Math.Min(Math.Max(increments, 1) * (int)BillingIncrement.TotalMinutes, EstimatedMinutes!.Value);
            FinalAmount = HoursCost(HourlyRate!.Value, BilledMinutes.Value);
        }
        else
        {
            FinalAmount = Amount;
        }

        Apply(row, hustler, now, null, new() { ["completedAt"] = now, ["finalAmount"] = FinalAmount, ["billedMinutes"] = BilledMinutes }, EventTypes.JobCompleted, [CustomerId, HustlerId!]);
        if (PricingType == PricingType.Flat)
        {
            RequestPayment(Actor.System, null, now);
        }

        return check;
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

    public PriceProposal ProposePrice(string proposalId, Actor actor, long? amount, long? hourlyRate, DateTimeOffset now)
    {
        if (StartCodeVerified && (actor.UserId == CustomerId || actor.UserId == HustlerId))
        {
            throw new JobRuleException(JobError.PriceLocked);
        }

        var row = EnsureAllowed(JobAction.ProposePrice, RoleIn(actor));
        if (PricingType == PricingType.Flat ? amount is null || hourlyRate is not null : hourlyRate is null || amount is not null)
        {
            throw new JobRuleException(JobError.Validation(PricingType == PricingType.Flat ? "A FLAT job takes a new amount." : "An HOURLY job takes a new hourlyRate."));
        }

        ClosePendingProposal(ProposalStatus.Superseded, now);
        var proposal = new PriceProposal(proposalId, Id, actor.UserId!, amount, hourlyRate, now);
        _priceProposals.Add(proposal);
        Apply(row, actor, now, null, ProposalData(proposal), EventTypes.PriceChangeProposed, [CustomerId, HustlerId!]);
        return proposal;
    }

    /// <summary>The price a pending proposal would put on hold if accepted.</summary>
    public long PriceToAuthorizeWith(PriceProposal proposal) =>
        PricingType == PricingType.Flat ? proposal.Amount!.Value : HoursCost(proposal.HourlyRate!.Value, EstimatedMinutes ?? 0);

    /// <summary>Checks that <paramref name="actor"/> may answer <paramref name="proposalId"/> (the other party), and returns it.</summary>
    public PriceProposal ProposalToAnswer(string proposalId, Actor actor)
    {
        var proposal = _priceProposals.FirstOrDefault(p => p.Id == proposalId && p.Status == ProposalStatus.Pending)
            ?? throw new JobRuleException(JobError.InvalidTransition(Status, JobAction.AnswerPriceProposal, RoleIn(actor)) with { Message = "That price proposal is no longer pending." });
        EnsureAllowed(JobAction.AnswerPriceProposal, RoleIn(actor));
        if (proposal.ProposedById == actor.UserId)
        {
            throw new JobRuleException(JobError.InvalidTransition(Status, JobAction.AnswerPriceProposal, RoleIn(actor)) with { Message = "A proposal is answered by the other party." });
        }

        return proposal;
    }

    /// <summary>The other party accepts: the price and the hold change together (the caller has updated the hold).</summary>
    public void AcceptPriceProposal(string proposalId, Actor actor, long authorizedAmount, bool paymentIntentUpdated, DateTimeOffset now)
    {
        var proposal = ProposalToAnswer(proposalId, actor);
        var row = EnsureAllowed(JobAction.AnswerPriceProposal, RoleIn(actor));
        proposal.Close(ProposalStatus.Accepted, now);
        Amount = proposal.Amount ?? Amount;
        HourlyRate = proposal.HourlyRate ?? HourlyRate;
        AuthorizedAmount = authorizedAmount;
        PaymentStatus = PaymentStatus.Authorized;
        var data = ProposalData(proposal);
        data["newAmount"] = PricingType == PricingType.Flat ? Amount : PriceToAuthorize;
        data["paymentIntentUpdated"] = paymentIntentUpdated;
        Apply(row, actor, now, null, data, EventTypes.PriceChanged, [CustomerId, HustlerId!], historyAction: "ACCEPT_PRICE_PROPOSAL");
    }

    public PriceProposal DeclinePriceProposal(string proposalId, Actor actor, DateTimeOffset now)
    {
        var proposal = ProposalToAnswer(proposalId, actor);
        var row = EnsureAllowed(JobAction.AnswerPriceProposal, RoleIn(actor));
        proposal.Close(ProposalStatus.Declined, now);
        Apply(row, actor, now, null, ProposalData(proposal), EventTypes.PriceChangeDeclined, [CustomerId, HustlerId!], historyAction: "DECLINE_PRICE_PROPOSAL");
        return proposal;
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

    /// <summary>Forgets the recorded history and events once they are saved.</summary>
    public void ClearRecorded()
    {
        _newHistory.Clear();
        _newEvents.Clear();
    }

    public static long HoursCost(long hourlyRate, int minutes) => (hourlyRate * minutes + 59) / 60;

    private ActorRole RoleIn(Actor actor) => actor.Kind switch
    {
        ActorKind.System => ActorRole.System,
        ActorKind.Operator => ActorRole.Operator,
        _ => RoleOf(actor.UserId!),
    };

    private CodeCheck CheckCode(string entered, string expected, bool isStart, DateTimeOffset now)
    {
        var lockedUntil = isStart ? StartCodeLockedUntil : CompletionCodeLockedUntil;
        if (lockedUntil is { } until && now < until)
        {
            return new CodeCheck(CodeCheckOutcome.StillLocked, 0, until);
        }

        var failures = lockedUntil is null ? (isStart ? StartCodeFailures : CompletionCodeFailures) : 0;
        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(entered), Encoding.UTF8.GetBytes(expected)))
        {
            SetCodeState(isStart, 0, null);
            return new CodeCheck(CodeCheckOutcome.Accepted, MaxCodeTries, null);
        }

        failures++;
        Touch(now);
        if (failures < MaxCodeTries)
        {
            SetCodeState(isStart, failures, null);
            return new CodeCheck(CodeCheckOutcome.Wrong, MaxCodeTries - failures, null);
        }

        var lockEnd = now + CodeLockout;
        SetCodeState(isStart, failures, lockEnd);
        var which = isStart ? "START" : "COMPLETION";
        _newHistory.Add(new JobHistoryEntry(Id, now, HustlerId!, "CODE_LOCKED", Status, Status, $"{which} code locked after {MaxCodeTries} wrong tries"));
        Emit(EventTypes.CodeLocked, [CustomerId, HustlerId!], new() { ["code"] = which, ["lockedUntil"] = lockEnd });
        return new CodeCheck(CodeCheckOutcome.LockedNow, 0, lockEnd);
    }

    /// <summary>A job past its expiry takes no offer and no acceptance, even before the sweep has marked it EXPIRED.</summary>
    private void EnsureNotPastExpiry(JobAction action, ActorRole role, DateTimeOffset now)
    {
        if (now >= ExpiresAt)
        {
            throw new JobRuleException(JobError.InvalidTransition(Status, action, role) with { Message = $"The job expired at {ExpiresAt:O}." });
        }
    }

    private void SetCodeState(bool isStart, int failures, DateTimeOffset? lockedUntil)
    {
        if (isStart)
        {
            StartCodeFailures = failures;
            StartCodeLockedUntil = lockedUntil;
        }
        else
        {
            CompletionCodeFailures = failures;
            CompletionCodeLockedUntil = lockedUntil;
        }
    }

    private void ResetCodeTries()
    {
        StartCodeFailures = CompletionCodeFailures = 0;
        StartCodeLockedUntil = CompletionCodeLockedUntil = null;
    }

    private Offer PendingOffer(string offerId) =>
        _offers.FirstOrDefault(o => o.Id == offerId && o.Status == OfferStatus.Pending)
        ?? throw new JobRuleException(new JobError("invalid_transition", "That offer is no longer pending."));

    private void DeclineAllPending(DateTimeOffset now)
    {
        foreach (var offer in PendingOffers.ToList())
        {
            offer.Close(OfferStatus.Declined, now);
        }
    }

    private void ClosePendingProposal(ProposalStatus status, DateTimeOffset now) => PendingPriceProposal?.Close(status, now);

    /// <summary>The customer, the assigned hustler and every hustler with a pending offer.</summary>
    private List<string> EveryoneConcerned() =>
        [.. new[] { CustomerId, HustlerId }.OfType<string>().Concat(PendingOffers.Select(o => o.HustlerId)).Distinct()];

    /// <summary>
    /// The one place a job's state changes: moves to the target of the table row the caller checked before touching
    /// anything, bumps the version, and records the history line and the event.
    /// </summary>
    private void Apply(
        Transition row,
        Actor actor,
        DateTimeOffset now,
        string? reason,
        Dictionary<string, object?> data,
        string eventType,
        IReadOnlyList<string> recipients,
        IReadOnlyDictionary<string, object?>? customerOnly = null,
        string? historyAction = null)
    {
        var from = Status;
        Status = row.Target(from, PendingOffers.Any());
        Touch(now);
        _newHistory.Add(new JobHistoryEntry(Id, now, actor.Name, historyAction ?? JobText.UpperSnake(row.Action.ToString()), from, Status, reason));
        foreach (var (key, value) in StatusData())
        {
            data.TryAdd(key, value);
        }

        Emit(eventType, recipients, data, customerOnly);
    }

    private void Emit(string type, IReadOnlyList<string> recipients, Dictionary<string, object?> data, IReadOnlyDictionary<string, object?>? customerOnly = null)
    {
        data.TryAdd("jobId", Id);
        data.TryAdd("status", JobText.Status(Status));
        _newEvents.Add(new JobEvent(type, Id, [.. recipients.Distinct()], data, customerOnly));
    }

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Version++;
    }

    private Dictionary<string, object?> StatusData() => new()
    {
        ["jobId"] = Id,
        ["status"] = JobText.Status(Status),
        ["paymentStatus"] = JobText.UpperSnake(PaymentStatus.ToString()),
        ["version"] = Version,
    };

    private static Dictionary<string, object?> OfferData(Offer offer, string? reason = null) => new()
    {
        ["offerId"] = offer.Id,
        ["hustlerId"] = offer.HustlerId,
        ["proposedAmount"] = offer.ProposedAmount,
        ["message"] = offer.Message,
        ["offerStatus"] = JobText.UpperSnake(offer.Status.ToString()),
        ["reason"] = reason,
    };

    private static Dictionary<string, object?> ProposalData(PriceProposal proposal) => new()
    {
        ["proposalId"] = proposal.Id,
        ["proposedById"] = proposal.ProposedById,
        ["amount"] = proposal.Amount,
        ["hourlyRate"] = proposal.HourlyRate,
        ["proposalStatus"] = JobText.UpperSnake(proposal.Status.ToString()),
    };
}
