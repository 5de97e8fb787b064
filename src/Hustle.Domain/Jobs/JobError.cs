namespace Hustle.Domain.Jobs;

/// <summary>A refusal by the domain, with the stable <c>code</c> of docs/ARCHITECTURE.md ("Errors").</summary>
public sealed record JobError(string Code, string Message)
{
    public static JobError InvalidTransition(JobStatus from, JobAction action, ActorRole role) =>
        new("invalid_transition", $"{action} by {role} is not allowed while the job is {from}.");

    public static readonly JobError PriceLocked =
        new("price_locked", "The price of a scheduled job changes only through a price proposal, and not at all once work has started.");

    public static readonly JobError CodeInvalid = new("code_invalid", "That code is not right.");

    public static JobError CodeLocked(DateTimeOffset until) =>
        new("code_locked", $"Too many wrong codes; this code is locked until {until:O}.");

    public static JobError Validation(string message) => new("validation_failed", message);

    public static JobError Conflict(string message) => new("conflict", message);
}

/// <summary>Thrown by the aggregate when an action is refused; nothing on the aggregate has changed.</summary>
public sealed class JobRuleException(JobError error) : Exception(error.Message)
{
    public JobError Error { get; } = error;
}
