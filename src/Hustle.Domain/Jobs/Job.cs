namespace Hustle.Domain.Jobs;

/// <summary>
/// A job and everything that belongs to it: offers, price proposals, codes. It owns its status: every change goes
/// through <see cref="Apply"/>, which consults <see cref="TransitionTable"/>, and records a history line and the
/// events for the feed. A refused action throws <see cref="JobRuleException"/> before anything is touched.
/// </summary>
public sealed partial class Job
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
}
