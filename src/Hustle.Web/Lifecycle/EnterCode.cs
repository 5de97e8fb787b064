using System.ComponentModel.DataAnnotations;
using Hustle.Domain.Jobs;
using Hustle.Web.Infrastructure;
using Hustle.Web.Jobs;

namespace Hustle.Web.Lifecycle;

public sealed record CodeRequest(
    [Required(ErrorMessage = CodeRequest.SixDigits), RegularExpression("^[0-9]{6}$", ErrorMessage = CodeRequest.SixDigits)] string? Code)
{
    private const string SixDigits = "code must be the 6 digits the customer was given.";
}

/// <summary>
/// The assigned hustler enters the start or completion code the customer holds. A wrong code is saved as a failed
/// try; the fifth locks the code for 15 minutes and tells the customer.
/// </summary>
public static class EnterCode
{
    public static Task<JobResponse> Start(string id, CodeRequest body, CurrentUser me, JobStore jobs, TimeProvider clock, CancellationToken ct) =>
        Handle(id, body, me, jobs, clock, (job, code, now) => job.VerifyStartCode(me.Actor, code, now), ct);

    public static Task<JobResponse> Complete(string id, CodeRequest body, CurrentUser me, JobStore jobs, TimeProvider clock, CancellationToken ct) =>
        Handle(id, body, me, jobs, clock, (job, code, now) => job.VerifyCompletionCode(me.Actor, code, now), ct);

    private static async Task<JobResponse> Handle(string id, CodeRequest body, CurrentUser me, JobStore jobs, TimeProvider clock, Func<Job, string, DateTimeOffset, CodeCheck> verify, CancellationToken ct)
    {
        var job = await jobs.GetForParticipantAsync(id, me.Id, ct);
        var check = verify(job, body.Code!, clock.GetUtcNow());
        JobResponse Answer() => check.Outcome switch
        {
            CodeCheckOutcome.Accepted => JobViews.For(job, me.Id),
            CodeCheckOutcome.Wrong => throw new CodeRefusal(JobError.CodeInvalid, check),
            _ => throw new CodeRefusal(JobError.CodeLocked(check.LockedUntil!.Value), check),
        };

        // A wrong code is saved (it counts a try) and its refusal is the answer a retry with the same key gets.
        return check.Outcome == CodeCheckOutcome.StillLocked ? Answer() : await jobs.SaveAsync(job, Answer, ct);
    }
}

/// <summary>A refused code, answered with how many tries are left or until when the code is locked.</summary>
public sealed class CodeRefusal(JobError error, CodeCheck check) : Exception(error.Message), IRefusal
{
    public int Status => ProblemExceptionHandler.StatusFor(error.Code);

    public string Code => error.Code;

    public IReadOnlyDictionary<string, object?> Extensions { get; } = new Dictionary<string, object?>
    {
        ["triesLeft"] = check.TriesLeft,
        ["lockedUntil"] = check.LockedUntil,
    };
}
