namespace Hustle.Domain.Jobs;

/// <summary>One line of a job's history: every transition, edit and proposal, who did it and why.</summary>
public sealed class JobHistoryEntry
{
    private JobHistoryEntry()
    {
        JobId = Actor = Action = From = To = "";
    }

    internal JobHistoryEntry(string jobId, DateTimeOffset at, string actor, string action, JobStatus from, JobStatus to, string? reason)
    {
        JobId = jobId;
        At = at;
        Actor = actor;
        Action = action;
        From = JobText.Status(from);
        To = JobText.Status(to);
        Reason = reason;
    }

    public long Id { get; private set; }

    public string JobId { get; private set; }

    public DateTimeOffset At { get; private set; }

    /// <summary>The user id of the person who acted, or <c>system</c>.</summary>
    public string Actor { get; private set; }

    public string Action { get; private set; }

    public string From { get; private set; }

    public string To { get; private set; }

    public string? Reason { get; private set; }

    /// <summary>The HTTP request that caused the change; set by the web layer when it saves.</summary>
    public string? RequestId { get; set; }
}
