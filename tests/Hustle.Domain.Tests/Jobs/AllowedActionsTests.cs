using Hustle.Domain.Jobs;
using static Hustle.Domain.Tests.Jobs.Situations;

namespace Hustle.Domain.Tests.Jobs;

/// <summary>
/// <see cref="AllowedActions"/> against the table and against the aggregate itself: for every situation and every
/// person, the list names exactly the table's allowed actions (less those a guard beside the table refuses), each
/// listed action succeeds when done, and each action not listed is refused.
/// </summary>
public class AllowedActionsTests
{
    private static readonly DateTimeOffset BeforeExpiry = PostedAt.AddHours(1);
    private static readonly DateTimeOffset Later = PostedAt.AddDays(30);

    /// <summary>The actions a person asks for: every one the table gives a user role.</summary>
    private static readonly JobAction[] PersonActions = [.. Enum.GetValues<JobAction>()
        .Where(a => TransitionTable.Rows.Any(r => r.Action == a && r.By.Overlaps([ActorRole.Customer, ActorRole.AssignedHustler, ActorRole.OfferHustler, ActorRole.Outsider])))];

    public static TheoryData<Situation, string> EveryPerson()
    {
        var data = new TheoryData<Situation, string>();
        foreach (var situation in Enum.GetValues<Situation>())
        {
            foreach (var person in new[] { Customer, Hustler, OtherHustler, Outsider })
            {
                data.Add(situation, person);
            }
        }

        return data;
    }

    public static TheoryData<Situation, string, JobAction> EveryPersonAndAction()
    {
        var data = new TheoryData<Situation, string, JobAction>();
        foreach (var row in EveryPerson())
        {
            foreach (var action in PersonActions)
            {
                data.Add((Situation)row[0], (string)row[1], action);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPerson))]
    public void The_list_names_exactly_the_tables_allowed_actions_for_the_persons_role_less_the_guarded_ones(Situation situation, string person)
    {
        var job = Build(situation);
        var role = job.RoleOf(person);
        var fromTable = PersonActions.Where(a => TransitionTable.Find(job.Status, a, role) is not null);
        var guarded = fromTable.Where(a => a switch
        {
            JobAction.Dispute => job.Disputed,
            JobAction.AnswerPriceProposal => job.PendingPriceProposal is not { } p || p.ProposedById == person,
            _ => false,
        });

        var listed = AllowedActions.For(job, person).Select(a => a.Action).Where(a => a != AllowedActions.OpenThread).Distinct();

        Assert.Equal(fromTable.Except(guarded).Select(AllowedActions.NameOf).Order(), listed.Order());
    }

    [Theory]
    [MemberData(nameof(EveryPersonAndAction))]
    public void Each_listed_action_succeeds_and_each_unlisted_one_is_refused_without_a_trace(Situation situation, string person, JobAction action)
    {
        var listed = AllowedActions.For(Build(situation), person).Where(a => a.Action == AllowedActions.NameOf(action)).ToList();
        if (listed.Count > 0)
        {
            foreach (var (allowed, accept) in listed.SelectMany(a => new[] { (a, true), (a, false) }))
            {
                var job = Build(situation);
                var version = job.Version;
                Perform(job, action, person, allowed.OfferId, allowed.ProposalId, accept, WithinWindow(allowed));
                Assert.True(job.Version > version);
            }

            return;
        }

        var untouched = Build(situation);
        var targets = untouched.Offers.Select(o => (string?)o.Id).Concat(untouched.PriceProposals.Select(p => (string?)p.Id)).DefaultIfEmpty("none");
        foreach (var target in targets)
        {
            foreach (var accept in new[] { true, false })
            {
                var job = Build(situation);
                var before = Snapshot(job);
                Assert.Throws<JobRuleException>(() => Perform(job, action, person, target, target, accept, BeforeExpiry));
                Assert.Equal(before, Snapshot(job));
            }
        }
    }

    [Theory]
    [MemberData(nameof(EveryPerson))]
    public void Only_a_hustler_who_can_see_the_job_may_open_a_thread_and_never_the_customer(Situation situation, string person)
    {
        var job = Build(situation);
        var expected = person != Customer && (job.Status is JobStatus.Open or JobStatus.Requested || job.HustlerId == person);
        Assert.Equal(expected, AllowedActions.For(job, person).Any(a => a.Action == AllowedActions.OpenThread));
    }

    [Fact]
    public void Offers_and_acceptance_are_allowed_until_the_job_expires_and_refused_from_then()
    {
        var job = Build(Situation.RequestedTwoOffers);
        var offer = Assert.Single(AllowedActions.For(job, Outsider), a => a.Action == "MAKE_OFFER");
        var accepts = AllowedActions.For(job, Customer).Where(a => a.Action == "ACCEPT_OFFER").ToList();

        Assert.Equal(job.ExpiresAt, offer.AvailableUntil);
        Assert.Equal([HustlerOffer, OtherOffer], accepts.Select(a => a.OfferId));
        Assert.All(accepts, a => Assert.Equal(job.ExpiresAt, a.AvailableUntil));
        Assert.Throws<JobRuleException>(() => job.MakeOffer("off_late", User(Outsider), null, null, job.ExpiresAt));
        Assert.Throws<JobRuleException>(() => job.AcceptOffer(HustlerOffer, User(Customer), 1, "111111", "222222", job.ExpiresAt));
    }

    [Fact]
    public void A_locked_code_is_allowed_again_only_when_the_lock_ends()
    {
        var job = Schedule(PostFlat());
        for (var i = 0; i < Job.MaxCodeTries; i++)
        {
            job.VerifyStartCode(User(Hustler), "000000", WorkDay);
        }

        var entry = Assert.Single(AllowedActions.For(job, Hustler), a => a.Action == "VERIFY_START_CODE");
        Assert.Equal(["code"], entry.Needs);
        Assert.Equal(WorkDay + Job.CodeLockout, entry.AvailableFrom);
        Assert.Equal(CodeCheckOutcome.StillLocked, job.VerifyStartCode(User(Hustler), StartCode, entry.AvailableFrom!.Value.AddSeconds(-1)).Outcome);
        Assert.Equal(CodeCheckOutcome.Accepted, job.VerifyStartCode(User(Hustler), StartCode, entry.AvailableFrom!.Value).Outcome);
    }

    [Fact]
    public void A_scheduled_jobs_edit_offers_no_price_field_and_an_open_ones_does()
    {
        var open = PostFlat();
        var scheduled = Schedule(PostFlat());

        Assert.Contains("amount", Assert.Single(AllowedActions.For(open, Customer), a => a.Action == "EDIT").Optional);
        Assert.DoesNotContain("amount", Assert.Single(AllowedActions.For(scheduled, Customer), a => a.Action == "EDIT").Optional);
        Assert.Throws<JobRuleException>(() => scheduled.Edit(User(Customer), new JobEdit(Amount: 9000), Later));
        Assert.Equal(["amount"], Assert.Single(AllowedActions.For(scheduled, Hustler), a => a.Action == "PROPOSE_PRICE").Needs);
    }

    private static DateTimeOffset WithinWindow(AllowedAction allowed) =>
        allowed.AvailableUntil is { } until ? until.AddMinutes(-1) : allowed.AvailableFrom is { } from && from > Later ? from : Later;

    /// <summary>The action through the aggregate's public method, as the endpoint for it does.</summary>
    private static void Perform(Job job, JobAction action, string person, string? offerId, string? proposalId, bool accept, DateTimeOffset at)
    {
        var actor = User(person);
        switch (action)
        {
            case JobAction.MakeOffer:
                job.MakeOffer("off_new", actor, null, "Pick me", at);
                break;
            case JobAction.WithdrawOffer:
                job.WithdrawOffer(offerId!, actor, at);
                break;
            case JobAction.DeclineOffer:
                job.DeclineOffer(offerId!, actor, null, at);
                break;
            case JobAction.AcceptOffer:
                job.AcceptOffer(offerId!, actor, 12000, "111111", "222222", at);
                break;
            case JobAction.Unassign:
                job.Unassign(actor, null, at);
                break;
            case JobAction.VerifyStartCode:
                Assert.Equal(CodeCheckOutcome.Accepted, job.VerifyStartCode(actor, job.StartCode ?? StartCode, at).Outcome);
                break;
            case JobAction.VerifyCompletionCode:
                Assert.Equal(CodeCheckOutcome.Accepted, job.VerifyCompletionCode(actor, job.CompletionCode ?? CompletionCode, at).Outcome);
                break;
            case JobAction.RequestPayment:
                job.RequestPayment(actor, null, at);
                break;
            case JobAction.ConfirmAndPay:
                job.MarkPaid(actor, job.FinalAmount ?? 1, "pi_capture", at);
                break;
            case JobAction.Dispute:
                job.Dispute(actor, null, at);
                break;
            case JobAction.Cancel:
                job.Cancel(actor, null, at);
                break;
            case JobAction.Edit:
                job.Edit(actor, new JobEdit(Title: "Garden work, front and back"), at);
                break;
            case JobAction.ProposePrice:
                job.ProposePrice("prp_new", actor, null, 4200, at);
                break;
            case JobAction.AnswerPriceProposal when accept:
                job.AcceptPriceProposal(proposalId!, actor, 13000, paymentIntentUpdated: true, at);
                break;
            case JobAction.AnswerPriceProposal:
                job.DeclinePriceProposal(proposalId!, actor, at);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, "Not an action a person asks for.");
        }
    }
}
