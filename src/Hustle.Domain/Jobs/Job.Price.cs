namespace Hustle.Domain.Jobs;

/// <summary>Changing the price of a scheduled job: one party proposes, the other accepts or declines.</summary>
public sealed partial class Job
{
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

    private void ClosePendingProposal(ProposalStatus status, DateTimeOffset now) => PendingPriceProposal?.Close(status, now);

    private static Dictionary<string, object?> ProposalData(PriceProposal proposal) => new()
    {
        ["proposalId"] = proposal.Id,
        ["proposedById"] = proposal.ProposedById,
        ["amount"] = proposal.Amount,
        ["hourlyRate"] = proposal.HourlyRate,
        ["proposalStatus"] = JobText.UpperSnake(proposal.Status.ToString()),
    };
}
