namespace Hustle.Web.Infrastructure;

/// <summary>A refusal the web layer raises: answered as problem details with <see cref="Code"/> by <see cref="ProblemExceptionHandler"/>.</summary>
public class ApiProblem(int status, string code, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public static ApiProblem NotFound(string what = "job") => new(StatusCodes.Status404NotFound, "not_found", $"No such {what}.");

    public static ApiProblem Validation(string detail) => new(StatusCodes.Status400BadRequest, "validation_failed", detail);

    public static ConcurrencyConflict Concurrency() => new("The job was changed by someone else at the same moment; reload it and try again.");

    public static ApiProblem PaymentDeclined(string? detail) =>
        new(StatusCodes.Status402PaymentRequired, "payment_declined", detail ?? "The payment method was declined.");

    public static ApiProblem PaymentFailed(string? detail) =>
        new(StatusCodes.Status402PaymentRequired, "payment_failed", detail ?? "The payment could not be completed.");

    public static ApiProblem PaymentUnavailable() =>
        new(StatusCodes.Status503ServiceUnavailable, "payment_unavailable", "The payment provider did not answer; nothing was changed. Try again.");

    public static ApiProblem IdempotencyMismatch() =>
        new(StatusCodes.Status422UnprocessableEntity, "idempotency_mismatch", "This Idempotency-Key was used before with a different request.");
}

/// <summary>A save lost to a change committed since the read (409 <c>concurrency_conflict</c>): caught by type by those who try again.</summary>
public sealed class ConcurrencyConflict(string detail) : ApiProblem(StatusCodes.Status409Conflict, "concurrency_conflict", detail);
