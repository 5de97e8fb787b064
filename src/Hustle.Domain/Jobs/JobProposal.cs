namespace Hustle.Domain.Jobs;

/// <summary>
/// What an offer and a price proposal share: one party proposes something about a job, and it stays pending until
/// the other party (or the job's next change) closes it with a final status.
/// </summary>
public abstract class JobProposal<TStatus>
    where TStatus : struct, Enum
{
    protected JobProposal(string id, string jobId, TStatus status, DateTimeOffset now)
    {
        Id = id;
        JobId = jobId;
        Status = status;
        CreatedAt = UpdatedAt = now;
    }

    public string Id { get; private set; }

    public string JobId { get; private set; }

    public TStatus Status { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    internal void Close(TStatus status, DateTimeOffset now)
    {
        Status = status;
        UpdatedAt = now;
    }
}
