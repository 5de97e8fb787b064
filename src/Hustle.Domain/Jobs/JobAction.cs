namespace Hustle.Domain.Jobs;

/// <summary>Everything that can be done to a job. Each one is allowed only where <see cref="TransitionTable"/> says.</summary>
public enum JobAction
{
    MakeOffer,
    WithdrawOffer,
    DeclineOffer,
    AcceptOffer,
    Unassign,
    VerifyStartCode,
    VerifyCompletionCode,
    RequestPayment,
    ConfirmAndPay,
    AutoConfirm,
    Dispute,
    ResolveDisputeCancel,
    Cancel,
    Expire,
    Edit,
    ProposePrice,
    AnswerPriceProposal,
    ReauthorizePayment,
}

/// <summary>The part a caller plays for one job, resolved by <see cref="Job.RoleOf"/>.</summary>
public enum ActorRole
{
    /// <summary>The job's owner.</summary>
    Customer,

    /// <summary>The hustler whose offer was accepted.</summary>
    AssignedHustler,

    /// <summary>A hustler with a pending offer on the job.</summary>
    OfferHustler,

    /// <summary>Any other signed-in user.</summary>
    Outsider,

    /// <summary>Hustle itself: expiry, auto-confirm, background sweeps.</summary>
    System,

    /// <summary>A member of the operator role acting on a dispute.</summary>
    Operator,
}
