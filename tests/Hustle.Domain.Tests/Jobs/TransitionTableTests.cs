using Hustle.Domain.Jobs;
using static Hustle.Domain.Tests.Jobs.Situations;

namespace Hustle.Domain.Tests.Jobs;

/// <summary>
/// Every (state, action, actor role) combination against the transition table of docs/ARCHITECTURE.md §3: an allowed one moves
/// the job to the table's target, every other one is refused with a clear code and leaves the job exactly as it was.
/// </summary>
public class TransitionTableTests
{
    /// <summary>Long after every job in <see cref="Situations"/> expired, so expiry's time guard never refuses.</summary>
    private static readonly DateTimeOffset Later = PostedAt.AddDays(30);

    /// <summary>Offers and acceptances are attempted before the job's expiry, which refuses them on its own.</summary>
    private static readonly DateTimeOffset BeforeExpiry = PostedAt.AddHours(1);

    public static TheoryData<Situation, Attempt, ActorRole> EveryCombination()
    {
        var data = new TheoryData<Situation, Attempt, ActorRole>();
        foreach (var situation in Enum.GetValues<Situation>())
        {
            var roles = RolesIn(Build(situation));
            foreach (var attempt in Enum.GetValues<Attempt>())
            {
                foreach (var role in roles)
                {
                    data.Add(situation, attempt, role);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryCombination))]
    public void Allowed_combinations_reach_the_tables_target_and_every_other_is_refused_without_a_trace(Situation situation, Attempt attempt, ActorRole role)
    {
        var job = Build(situation);
        var actor = ActorFor(job, role);
        var from = job.Status;
        var (allowed, target, refusal) = Expected(job, attempt, role, actor);
        var before = Snapshot(job);
        var version = job.Version;
        var historyLines = job.NewHistory.Count;

        if (allowed)
        {
            Try(job, attempt, actor);
            Assert.Equal(target, job.Status);
            Assert.Equal(version + 1, job.Version);
            var line = Assert.Single(job.NewHistory.Skip(historyLines));
            Assert.Equal((actor.Name, JobText.Status(from), JobText.Status(target)), (line.Actor, line.From, line.To));
        }
        else
        {
            var refused = Assert.Throws<JobRuleException>(() => Try(job, attempt, actor));
            Assert.Equal(refusal, refused.Error.Code);
            Assert.Equal(before, Snapshot(job));
        }
    }

    [Fact]
    public void The_table_holds_exactly_the_rows_the_design_lists()
    {
        // Transcribed from the design (the action table, editing, price proposals, hold renewal; docs/ARCHITECTURE.md §3): action from by -> to.
        string[] design =
        [
            "MakeOffer Open Outsider -> Requested", "MakeOffer Requested Outsider -> Requested",
            "WithdrawOffer Requested OfferHustler -> Requested|Open",
            "DeclineOffer Requested Customer -> Requested|Open",
            "AcceptOffer Requested Customer -> Scheduled",
            "Unassign Scheduled Customer -> Open", "Unassign Scheduled AssignedHustler -> Open",
            "VerifyStartCode Scheduled AssignedHustler -> InProgress",
            "VerifyCompletionCode InProgress AssignedHustler -> CompletedByHustler",
            "RequestPayment CompletedByHustler AssignedHustler -> AwaitingCustomerConfirm", "RequestPayment CompletedByHustler System -> AwaitingCustomerConfirm",
            "ConfirmAndPay CompletedByHustler Customer -> Paid", "ConfirmAndPay AwaitingCustomerConfirm Customer -> Paid",
            "AutoConfirm AwaitingCustomerConfirm System -> Paid",
            "Dispute AwaitingCustomerConfirm Customer -> AwaitingCustomerConfirm",
            "ResolveDisputeCancel AwaitingCustomerConfirm Operator -> Cancelled",
            "Cancel Open Customer -> Cancelled", "Cancel Requested Customer -> Cancelled",
            "Expire Open System -> Expired", "Expire Requested System -> Expired",
            "Edit Open Customer -> Open", "Edit Requested Customer -> Requested", "Edit Scheduled Customer -> Scheduled",
            "ProposePrice Scheduled Customer -> Scheduled", "ProposePrice Scheduled AssignedHustler -> Scheduled",
            "AnswerPriceProposal Scheduled Customer -> Scheduled", "AnswerPriceProposal Scheduled AssignedHustler -> Scheduled",
            "ReauthorizePayment Scheduled System -> Scheduled",
        ];
        var table = TransitionTable.Rows
            .SelectMany(row => row.From.SelectMany(from => row.By.Select(by =>
                $"{row.Action} {from} {by} -> {row.To ?? from}{(row.ToWhenNoOfferPending is { } open ? $"|{open}" : "")}")))
            .ToList();
        Assert.Equal(design.Order(StringComparer.Ordinal), table.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_situations_cover_all_nine_states_and_the_attempts_cover_every_action_in_the_table()
    {
        Assert.Equal(Enum.GetValues<JobStatus>().Order(), Enum.GetValues<Situation>().Select(s => Build(s).Status).Distinct().Order());
        Assert.Equal(Enum.GetValues<JobAction>().Order(), Enum.GetValues<Attempt>().Select(ActionOf).Distinct().Order());
        Assert.All(TransitionTable.Rows, row => Assert.Contains(row.Action, Enum.GetValues<Attempt>().Select(ActionOf)));
    }

    [Fact]
    public void Every_allowed_row_of_the_table_is_reached_by_some_situation()
    {
        var reached = EveryCombination()
            .Select(row => ((Situation)row[0], (Attempt)row[1], (ActorRole)row[2]))
            .Where(c => Expected(Build(c.Item1), c.Item2, c.Item3, ActorFor(Build(c.Item1), c.Item3)).Allowed)
            .Select(c => (Build(c.Item1).Status, ActionOf(c.Item2), c.Item3))
            .ToHashSet();
        foreach (var row in TransitionTable.Rows)
        {
            foreach (var from in row.From)
            {
                foreach (var by in row.By)
                {
                    Assert.Contains((from, row.Action, by), reached);
                }
            }
        }
    }

    private static List<ActorRole> RolesIn(Job job)
    {
        List<ActorRole> roles = [ActorRole.Customer];
        if (job.HustlerId is not null)
        {
            roles.Add(ActorRole.AssignedHustler);
        }

        if (job.PendingOffers.Any())
        {
            roles.Add(ActorRole.OfferHustler);
        }

        roles.AddRange([ActorRole.Outsider, ActorRole.System, ActorRole.Operator]);
        return roles;
    }

    /// <summary>A person (or Hustle) who plays <paramref name="role"/> for this job; a user's role is checked with <see cref="Job.RoleOf"/>.</summary>
    private static Actor ActorFor(Job job, ActorRole role)
    {
        var actor = role switch
        {
            ActorRole.Customer => User(Customer),
            ActorRole.AssignedHustler => User(job.HustlerId!),
            ActorRole.OfferHustler => User(job.PendingOffers.First().HustlerId),
            ActorRole.Outsider => User(Outsider),
            ActorRole.System => Actor.System,
            _ => Actor.Operator(OperatorId),
        };
        if (actor.Kind == ActorKind.User)
        {
            Assert.Equal(role, job.RoleOf(actor.UserId!));
        }

        return actor;
    }

    private static JobAction ActionOf(Attempt attempt) => attempt switch
    {
        Attempt.EditDetails or Attempt.EditPrice => JobAction.Edit,
        Attempt.AcceptPriceProposal or Attempt.DeclinePriceProposal => JobAction.AnswerPriceProposal,
        _ => Enum.Parse<JobAction>(attempt.ToString()),
    };

    /// <summary>What docs/ARCHITECTURE.md §3 says should happen: the table, plus the guards it documents beside the table.</summary>
    private static (bool Allowed, JobStatus Target, string Refusal) Expected(Job job, Attempt attempt, ActorRole role, Actor actor)
    {
        var row = TransitionTable.Find(job.Status, ActionOf(attempt), role);
        var guardHolds = attempt switch
        {
            Attempt.Dispute or Attempt.AutoConfirm => !job.Disputed,
            Attempt.ResolveDisputeCancel => job.Disputed,
            Attempt.AcceptPriceProposal or Attempt.DeclinePriceProposal => job.PendingPriceProposal is { } p && p.ProposedById != actor.UserId,

            // A scheduled job's price changes only through a price proposal.
            Attempt.EditPrice => job.Status != JobStatus.Scheduled,
            _ => true,
        };

        // "After the start code the price is locked"; a scheduled job's price edit points to the proposal flow.
        var priceLocked = attempt == Attempt.EditPrice && role == ActorRole.Customer && (job.Status == JobStatus.Scheduled || job.StartCodeVerified)
            || attempt == Attempt.ProposePrice && job.StartCodeVerified && role is ActorRole.Customer or ActorRole.AssignedHustler;
        if (row is null || !guardHolds)
        {
            return (false, job.Status, priceLocked ? "price_locked" : "invalid_transition");
        }

        var offerLeft = attempt is Attempt.WithdrawOffer or Attempt.DeclineOffer
            ? job.PendingOffers.Any(o => o.Id != OfferFor(job, actor))
            : job.PendingOffers.Any();
        var target = row.ToWhenNoOfferPending is { } whenNoneLeft && !offerLeft ? whenNoneLeft : row.To ?? job.Status;
        return (true, target, "");
    }

    /// <summary>The offer an attempt on offers is about: the actor's own pending one, else any pending one, else any.</summary>
    private static string OfferFor(Job job, Actor actor) =>
        job.PendingOffers.FirstOrDefault(o => o.HustlerId == actor.UserId)?.Id
        ?? job.PendingOffers.FirstOrDefault()?.Id
        ?? (job.Offers.Count > 0 ? job.Offers[^1].Id : null)
        ?? "off_none";

    private static string ProposalFor(Job job) =>
        job.PendingPriceProposal?.Id ?? (job.PriceProposals.Count > 0 ? job.PriceProposals[^1].Id : "prp_none");

    /// <summary>
    /// The attempt through its public method. Expiry, auto-confirm and hold renewal are Hustle's own acts: their
    /// methods take no person (auto-confirm is <see cref="Job.MarkPaid"/> by the system, which for a person is a
    /// confirmation), so for any other role the refusal is asked of <see cref="Job.EnsureAllowed"/>, the check
    /// those methods make.
    /// </summary>
    private static void Try(Job job, Attempt attempt, Actor actor)
    {
        var isSystem = actor.Kind == ActorKind.System;
        switch (attempt)
        {
            case Attempt.MakeOffer:
                job.MakeOffer("off_new", actor, null, "Pick me", BeforeExpiry);
                break;
            case Attempt.WithdrawOffer:
                job.WithdrawOffer(OfferFor(job, actor), actor, Later);
                break;
            case Attempt.DeclineOffer:
                job.DeclineOffer(OfferFor(job, actor), actor, "No thanks", Later);
                break;
            case Attempt.AcceptOffer:
                job.AcceptOffer(OfferFor(job, actor), actor, 12000, "111111", "222222", BeforeExpiry);
                break;
            case Attempt.Unassign:
                job.Unassign(actor, "Plans changed", Later);
                break;
            case Attempt.VerifyStartCode:
                Assert.Equal(CodeCheckOutcome.Accepted, job.VerifyStartCode(actor, job.StartCode ?? StartCode, Later).Outcome);
                break;
            case Attempt.VerifyCompletionCode:
                Assert.Equal(CodeCheckOutcome.Accepted, job.VerifyCompletionCode(actor, job.CompletionCode ?? CompletionCode, Later).Outcome);
                break;
            case Attempt.RequestPayment:
                job.RequestPayment(actor, null, Later);
                break;
            case Attempt.ConfirmAndPay when isSystem:
                job.EnsureAllowed(JobAction.ConfirmAndPay, ActorRole.System);
                break;
            case Attempt.ConfirmAndPay:
            case Attempt.AutoConfirm when isSystem:
                job.MarkPaid(actor, job.FinalAmount ?? 1, "pi_capture", Later);
                break;
            case Attempt.AutoConfirm:
                job.EnsureAllowed(JobAction.AutoConfirm, RoleOf(job, actor));
                break;
            case Attempt.Dispute:
                job.Dispute(actor, "Not finished", Later);
                break;
            case Attempt.ResolveDisputeCancel:
                job.ResolveDisputeByCancelling(actor, "Settled", Later);
                break;
            case Attempt.Cancel:
                job.Cancel(actor, "No longer needed", Later);
                break;
            case Attempt.Expire when isSystem:
                job.Expire(Later);
                break;
            case Attempt.Expire:
                job.EnsureAllowed(JobAction.Expire, RoleOf(job, actor));
                break;
            case Attempt.EditDetails:
                job.Edit(actor, new JobEdit(Title: "Garden work, front and back"), Later);
                break;
            case Attempt.EditPrice:
                job.Edit(actor, new JobEdit(HourlyRate: 5000), Later);
                break;
            case Attempt.ProposePrice:
                job.ProposePrice("prp_new", actor, null, 4200, Later);
                break;
            case Attempt.AcceptPriceProposal:
                job.AcceptPriceProposal(ProposalFor(job), actor, 13500, paymentIntentUpdated: true, Later);
                break;
            case Attempt.DeclinePriceProposal:
                job.DeclinePriceProposal(ProposalFor(job), actor, Later);
                break;
            case Attempt.ReauthorizePayment when isSystem:
                job.RecordReauthorization(true, job.AuthorizedAmount, "Renewed", Later);
                break;
            case Attempt.ReauthorizePayment:
                job.EnsureAllowed(JobAction.ReauthorizePayment, RoleOf(job, actor));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(attempt), attempt, null);
        }
    }

    private static ActorRole RoleOf(Job job, Actor actor) =>
        actor.Kind == ActorKind.Operator ? ActorRole.Operator : job.RoleOf(actor.UserId!);
}
