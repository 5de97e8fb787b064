namespace Hustle.Domain.Jobs;

public enum ProposalStatus
{
    Pending,
    Accepted,
    Declined,
    Superseded,
}

/// <summary>A new flat amount or hourly rate for a scheduled job, proposed by one party and answered by the other.</summary>
public sealed class PriceProposal
{
    private PriceProposal()
    {
        Id = JobId = ProposedById = "";
    }

    internal PriceProposal(string id, string jobId, string proposedById, long? amount, long? hourlyRate, DateTimeOffset now)
    {
        Id = id;
        JobId = jobId;
        ProposedById = proposedById;
        Amount = amount;
        HourlyRate = hourlyRate;
        Status = ProposalStatus.Pending;
        CreatedAt = UpdatedAt = now;
    }

    public string Id { get; private set; }

    public string JobId { get; private set; }

    public string ProposedById { get; private set; }

    public long? Amount { get; private set; }

    public long? HourlyRate { get; private set; }

    public ProposalStatus Status { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    internal void Close(ProposalStatus status, DateTimeOffset now)
    {
        Status = status;
        UpdatedAt = now;
    }
}
