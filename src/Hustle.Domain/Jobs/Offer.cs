namespace Hustle.Domain.Jobs;

/// <summary>A hustler's offer to do an open job, at the posted price or (flat jobs) another amount.</summary>
public sealed class Offer : JobProposal<OfferStatus>
{
    private Offer()
        : base("", "", OfferStatus.Pending, default)
    {
        HustlerId = "";
    }

    internal Offer(string id, string jobId, string hustlerId, long? proposedAmount, string? message, DateTimeOffset now)
        : base(id, jobId, OfferStatus.Pending, now)
    {
        HustlerId = hustlerId;
        ProposedAmount = proposedAmount;
        Message = message;
    }

    public string HustlerId { get; private set; }

    public long? ProposedAmount { get; private set; }

    public string? Message { get; private set; }
}
