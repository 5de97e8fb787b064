namespace Hustle.Domain.Jobs;

/// <summary>Offers: made by hustlers, withdrawn, declined, and the one the customer accepts once its money is held.</summary>
public sealed partial class Job
{
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

    /// <summary>A job past its expiry takes no offer and no acceptance, even before the sweep has marked it EXPIRED.</summary>
    private void EnsureNotPastExpiry(JobAction action, ActorRole role, DateTimeOffset now)
    {
        if (now >= ExpiresAt)
        {
            throw new JobRuleException(JobError.InvalidTransition(Status, action, role) with { Message = $"The job expired at {ExpiresAt:O}." });
        }
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

    private static Dictionary<string, object?> OfferData(Offer offer, string? reason = null) => new()
    {
        ["offerId"] = offer.Id,
        ["hustlerId"] = offer.HustlerId,
        ["proposedAmount"] = offer.ProposedAmount,
        ["message"] = offer.Message,
        ["offerStatus"] = JobText.UpperSnake(offer.Status.ToString()),
        ["reason"] = reason,
    };
}
