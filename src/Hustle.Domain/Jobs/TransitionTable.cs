namespace Hustle.Domain.Jobs;

/// <summary>One row of the table: <see cref="Action"/> by <see cref="By"/> from any of <see cref="From"/> leads to <see cref="To"/>.</summary>
/// <param name="ToWhenNoOfferPending">Where the job goes instead when the action leaves no pending offer (withdraw, decline).</param>
public sealed record Transition(
    JobAction Action,
    IReadOnlySet<JobStatus> From,
    IReadOnlySet<ActorRole> By,
    JobStatus? To,
    JobStatus? ToWhenNoOfferPending = null)
{
    /// <summary>The state after the action; <c>null</c> in <see cref="To"/> means the state does not change.</summary>
    public JobStatus Target(JobStatus from, bool offerStillPending) =>
        !offerStillPending && ToWhenNoOfferPending is { } open ? open : To ?? from;
}

/// <summary>
/// The job state machine as data (drawn in docs/ARCHITECTURE.md by <see cref="StateDiagram"/>). <see cref="Job"/> consults it for every change; anything not in it
/// is refused with <see cref="JobError.InvalidTransition"/>.
/// </summary>
public static class TransitionTable
{
    private static readonly IReadOnlySet<JobStatus> OpenOrRequested = Set(JobStatus.Open, JobStatus.Requested);

    public static IReadOnlyList<Transition> Rows { get; } =
    [
        new(JobAction.MakeOffer, OpenOrRequested, Set(ActorRole.Outsider), JobStatus.Requested),
        new(JobAction.WithdrawOffer, Set(JobStatus.Requested), Set(ActorRole.OfferHustler), JobStatus.Requested, JobStatus.Open),
        new(JobAction.DeclineOffer, Set(JobStatus.Requested), Set(ActorRole.Customer), JobStatus.Requested, JobStatus.Open),
        new(JobAction.AcceptOffer, Set(JobStatus.Requested), Set(ActorRole.Customer), JobStatus.Scheduled),
        new(JobAction.Unassign, Set(JobStatus.Scheduled), Set(ActorRole.Customer, ActorRole.AssignedHustler), JobStatus.Open),
        new(JobAction.VerifyStartCode, Set(JobStatus.Scheduled), Set(ActorRole.AssignedHustler), JobStatus.InProgress),
        new(JobAction.VerifyCompletionCode, Set(JobStatus.InProgress), Set(ActorRole.AssignedHustler), JobStatus.CompletedByHustler),
        new(JobAction.RequestPayment, Set(JobStatus.CompletedByHustler), Set(ActorRole.AssignedHustler, ActorRole.System), JobStatus.AwaitingCustomerConfirm),
        new(JobAction.ConfirmAndPay, Set(JobStatus.CompletedByHustler, JobStatus.AwaitingCustomerConfirm), Set(ActorRole.Customer), JobStatus.Paid),
        new(JobAction.AutoConfirm, Set(JobStatus.AwaitingCustomerConfirm), Set(ActorRole.System), JobStatus.Paid),
        new(JobAction.Dispute, Set(JobStatus.AwaitingCustomerConfirm), Set(ActorRole.Customer), null),
        new(JobAction.ResolveDisputeCancel, Set(JobStatus.AwaitingCustomerConfirm), Set(ActorRole.Operator), JobStatus.Cancelled),
        new(JobAction.Cancel, OpenOrRequested, Set(ActorRole.Customer), JobStatus.Cancelled),
        new(JobAction.Expire, OpenOrRequested, Set(ActorRole.System), JobStatus.Expired),
        new(JobAction.Edit, Set(JobStatus.Open, JobStatus.Requested, JobStatus.Scheduled), Set(ActorRole.Customer), null),
        new(JobAction.ProposePrice, Set(JobStatus.Scheduled), Set(ActorRole.Customer, ActorRole.AssignedHustler), null),
        new(JobAction.AnswerPriceProposal, Set(JobStatus.Scheduled), Set(ActorRole.Customer, ActorRole.AssignedHustler), null),
        new(JobAction.ReauthorizePayment, Set(JobStatus.Scheduled), Set(ActorRole.System), null),
    ];

    /// <summary>The row that allows <paramref name="action"/> by <paramref name="role"/> in <paramref name="from"/>, or null.</summary>
    public static Transition? Find(JobStatus from, JobAction action, ActorRole role) =>
        Rows.FirstOrDefault(r => r.Action == action && r.From.Contains(from) && r.By.Contains(role));

    private static HashSet<T> Set<T>(params T[] items) => [.. items];
}
