namespace Hustle.Domain.Jobs;

public enum ProposalStatus
{
    Pending,
    Accepted,
    Declined,
    Superseded,
}

/// <summary>A new flat amount or hourly rate for a scheduled job, proposed by one party and answered by the other.</summary>
public sealed class PriceProposal : JobProposal<ProposalStatus>
{
    private PriceProposal()
        : base("", "", ProposalStatus.Pending, default)
    {
        ProposedById = "";
    }

    internal PriceProposal(string id, string jobId, string proposedById, long? amount, long? hourlyRate, DateTimeOffset now)
        : base(id, jobId, ProposalStatus.Pending, now)
    {
        ProposedById = proposedById;
        Amount = amount;
        HourlyRate = hourlyRate;
    }

    public string ProposedById { get; private set; }

    public long? Amount { get; private set; }

    public long? HourlyRate { get; private set; }
}
