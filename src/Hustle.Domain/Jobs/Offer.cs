namespace Hustle.Domain.Jobs;

public sealed class Offer
{
    private Offer()
    {
        Id = JobId = HustlerId = "";
    }

    internal Offer(string id, string jobId, string hustlerId, long? proposedAmount, string? message, DateTimeOffset now)
    {
        Id = id;
        JobId = jobId;
        HustlerId = hustlerId;
        ProposedAmount = proposedAmount;
        Message = message;
        Status = OfferStatus.Pending;
        CreatedAt = UpdatedAt = now;
    }

    public string Id { get; private set; }

    public string JobId { get; private set; }

    public string HustlerId { get; private set; }

    public long? ProposedAmount { get; private set; }

    public string? Message { get; private set; }

    public OfferStatus Status { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    internal void Close(OfferStatus status, DateTimeOffset now)
    {
        Status = status;
        UpdatedAt = now;
    }
}
