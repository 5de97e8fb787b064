using Hustle.Domain.Jobs;
using Hustle.Domain.Messaging;

namespace Hustle.Web.Messaging;

/// <summary>
/// A message as the contract shows it. <see cref="ReadByOther"/>: the member who did not send it has read up to it
/// (on your own messages, the read receipt).
/// </summary>
public sealed record MessageResponse(string Id, string ThreadId, string SenderId, string Body, DateTimeOffset CreatedAt, bool ReadByOther)
{
    /// <param name="readSeqOf">How far each member has read (user id → seq).</param>
    public static MessageResponse From(Message m, MessageThread thread, IReadOnlyDictionary<string, long> readSeqOf) =>
        new(m.Id, m.ThreadId, m.SenderId, m.Body, m.CreatedAt, m.Seq <= readSeqOf.GetValueOrDefault(thread.OtherMember(m.SenderId)));

    public static MessageResponse Unread(Message m) => new(m.Id, m.ThreadId, m.SenderId, m.Body, m.CreatedAt, ReadByOther: false);
}

/// <summary>
/// The other member of a thread, as the viewer sees them. <see cref="LastSeenAt"/> is null while online. Presence
/// is shown only to people who share it (<see cref="ThreadStore.CounterpartsOfAsync"/>): anyone else sees offline, never seen.
/// </summary>
public sealed record CounterpartResponse(string Id, string DisplayName, bool Online, DateTimeOffset? LastSeenAt);

public sealed record ThreadResponse(
    string Id,
    string JobId,
    string JobTitle,
    string CustomerId,
    string HustlerId,
    CounterpartResponse Counterpart,
    int UnreadCount,
    bool ReadOnly,
    string? ReadOnlyReason,
    MessageResponse? LastMessage,
    string? LastReadMessageId,
    DateTimeOffset CreatedAt);

/// <summary>A thread with what the job says about it: its title, who, if anyone, was chosen, and whether it is over.</summary>
public sealed record ThreadOnJob(MessageThread Thread, string JobTitle, string? AssignedHustlerId, JobStatus JobStatus)
{
    public string? ReadOnlyReason =>
        Thread.ReadOnlyReason(AssignedHustlerId, jobClosed: JobStatus is JobStatus.Paid or JobStatus.Cancelled or JobStatus.Expired);

    public void EnsureWritable()
    {
        if (ReadOnlyReason is { } reason)
        {
            throw new Infrastructure.ApiProblem(
                StatusCodes.Status409Conflict,
                "thread_read_only",
                reason == MessageThread.AnotherHustlerChosen
                    ? "The customer chose another hustler for this job, so this conversation is read-only now."
                    : "This job is over (paid, cancelled or expired), so this conversation is read-only now.");
        }
    }
}
