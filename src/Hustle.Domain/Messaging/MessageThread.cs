namespace Hustle.Domain.Messaging;

/// <summary>
/// The conversation between a job's customer and one hustler about that job: one per (job, hustler), opened by the
/// hustler's offer or question. Only its two members read or write it.
/// </summary>
public sealed class MessageThread
{
    /// <summary>Why a thread is read-only: the customer scheduled the job with another hustler.</summary>
    public const string AnotherHustlerChosen = "ANOTHER_HUSTLER_CHOSEN";

    /// <summary>Why a thread is read-only: the job is over (paid, cancelled, expired) and this hustler did not do it.</summary>
    public const string JobClosed = "JOB_CLOSED";

    private MessageThread()
    {
        Id = JobId = CustomerId = HustlerId = "";
    }

    public string Id { get; private set; }

    public string JobId { get; private set; }

    public string CustomerId { get; private set; }

    public string HustlerId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The <see cref="Message.Seq"/> of the newest message (0 while empty); raised in the transaction that adds one.</summary>
    public long LastMessageSeq { get; private set; }

    public static MessageThread Open(string id, string jobId, string customerId, string hustlerId, DateTimeOffset now)
    {
        if (customerId == hustlerId)
        {
            throw new ArgumentException("A customer does not open a thread with themselves.", nameof(hustlerId));
        }

        return new MessageThread { Id = id, JobId = jobId, CustomerId = customerId, HustlerId = hustlerId, CreatedAt = now };
    }

    public bool IsMember(string userId) => userId == CustomerId || userId == HustlerId;

    /// <summary>The member who is not <paramref name="userId"/>.</summary>
    public string OtherMember(string userId) => userId == CustomerId ? HustlerId : CustomerId;

    /// <summary>
    /// Why nobody may post any more, or null while the thread is open. Worked out from the job each time rather than
    /// stored, so a job that is unassigned and reopened opens its threads again. The hustler who was given the job
    /// keeps the thread open to the end; for everyone else it closes when the job goes to another hustler or is over.
    /// </summary>
    public string? ReadOnlyReason(string? assignedHustlerId, bool jobClosed) =>
        assignedHustlerId is not null && assignedHustlerId != HustlerId ? AnotherHustlerChosen
        : jobClosed && assignedHustlerId != HustlerId ? JobClosed
        : null;
}
