using System.Text.Json;
using Hustle.Domain.Jobs;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Hustle.Web.Infrastructure;

/// <summary>Turns every refusal (domain rule, web rule, unreadable request, lost race) into RFC 7807 problem details with a stable <c>code</c>.</summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, detail) = exception switch
        {
            ApiProblem p => (p.Status, p.Code, p.Message),
            RequestInvalidException r => (StatusCodes.Status400BadRequest, "validation_failed", r.Message),
            JobRuleException { Error: var e } => (StatusFor(e.Code), e.Code, e.Message),
            IRefusal r => (r.Status, r.Code, exception.Message),
            BadHttpRequestException b => (b.StatusCode, CodeFor(b.StatusCode), ReadableBadRequest(b)),
            DbUpdateConcurrencyException => (StatusCodes.Status409Conflict, "concurrency_conflict", ApiProblem.Concurrency().Message),
            _ when IsLostDatabaseRace(exception) => (StatusCodes.Status409Conflict, "concurrency_conflict", ApiProblem.Concurrency().Message),
            OperationCanceledException when http.RequestAborted.IsCancellationRequested => (499, "client_closed", "The request was aborted."),
            _ when IsDatabaseUnavailable(exception) => (StatusCodes.Status503ServiceUnavailable, "service_unavailable", "The database is not reachable right now; nothing was changed. Try again shortly."),
            _ => (0, "", ""),
        };
        if (status == 0)
        {
            return false;
        }

        var errors = exception switch
        {
            RequestInvalidException invalid => invalid.Errors,
            BadHttpRequestException { InnerException: JsonException json } => UnreadableJson.Errors(json),
            _ => null,
        };
        if (errors is not null)
        {
            http.Response.StatusCode = status;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                Exception = exception,
                ProblemDetails = new HttpValidationProblemDetails(errors)
                {
                    Status = status,
                    Title = TitleFor(code),
                    Detail = detail,
                    Extensions = { ["code"] = code },
                },
            });
        }

        log.LogInformation("Refused {Method} {Path}: {Status} {Code} {Detail}", http.Request.Method, http.Request.Path, status, code, detail);
        http.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            http.Response.Headers.RetryAfter = "2";
            if (code == "service_unavailable")
            {
                log.LogWarning(exception, "The database is unavailable.");
                // Pooled connections opened before an outage are dead; without this each would fail one more request after the database is back.
                NpgsqlConnection.ClearAllPools();
            }
        }

        var problem = new ProblemDetails
        {
            Status = status,
            Title = TitleFor(code),
            Detail = detail,
            Extensions = { ["code"] = code },
        };
        foreach (var (member, value) in (exception as IRefusal)?.Extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[member] = value;
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, Exception = exception, ProblemDetails = problem });
    }

    public static int StatusFor(string code) => code switch
    {
        "validation_failed" => StatusCodes.Status400BadRequest,
        "not_found" => StatusCodes.Status404NotFound,
        "code_invalid" => StatusCodes.Status422UnprocessableEntity,
        "code_locked" => StatusCodes.Status423Locked,
        _ => StatusCodes.Status409Conflict,
    };

    /// <summary>The stable code for a status when nothing more specific was said (framework answers, validation).</summary>
    public static string CodeFor(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "validation_failed",
        StatusCodes.Status401Unauthorized => "unauthorized",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status404NotFound => "not_found",
        StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
        StatusCodes.Status409Conflict => "conflict",
        StatusCodes.Status413PayloadTooLarge => "payload_too_large",
        StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
        StatusCodes.Status429TooManyRequests => "rate_limited",
        >= 500 => "server_error",
        _ => "error",
    };

    /// <summary>
    /// The <c>type</c> of statuses the framework leaves without one (it fills 400, 401, 403, 404, 405, 406, 408, 409, 412,
    /// 415, 422, 426 and 5xx), so that every problem names the section that defines its status.
    /// </summary>
    public static string? TypeFor(int status) => status switch
    {
        StatusCodes.Status402PaymentRequired => "https://tools.ietf.org/html/rfc9110#section-15.5.3",
        StatusCodes.Status413PayloadTooLarge => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        StatusCodes.Status423Locked => "https://tools.ietf.org/html/rfc4918#section-11.3",
        StatusCodes.Status429TooManyRequests => "https://tools.ietf.org/html/rfc6585#section-4",
        _ => null,
    };

    public const string InvalidRequestTitle = "The request is not valid.";

    private static string TitleFor(string code) => code switch
    {
        "invalid_transition" => "That is not possible in the job's current state.",
        "concurrency_conflict" => "Someone else changed this at the same moment.",
        "validation_failed" => InvalidRequestTitle,
        "not_found" => "Not found.",
        _ => code.Replace('_', ' '),
    };

    private static string ReadableBadRequest(BadHttpRequestException b) =>
        b.InnerException is JsonException json ? $"The JSON body could not be read: {json.Message}" : b.Message;

    /// <summary>
    /// The database refused or dropped the connection (down, restarting, out of connections). The request's
    /// transaction did not commit, so nothing of it was applied and the client may simply retry.
    /// </summary>
    internal static bool IsDatabaseUnavailable(Exception e) => e switch
    {
        // 08: connection exception; 53: insufficient resources (too many connections); 57P: shutting down, starting up, crashed.
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("53", StringComparison.Ordinal) || pg.SqlState.StartsWith("57P", StringComparison.Ordinal),
        // Connection refused, stream broken mid-query, pool exhausted, timeout.
        NpgsqlException npgsql => npgsql.IsTransient,
        System.Data.Common.DbException { IsTransient: true } => true,
        _ => e.InnerException is { } inner && IsDatabaseUnavailable(inner),
    };

    /// <summary>PostgreSQL gave up one of two conflicting transactions (deadlock, serialization): the same answer as a lost optimistic race.</summary>
    private static bool IsLostDatabaseRace(Exception e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure }
        || e.InnerException is { } inner && IsLostDatabaseRace(inner);
}
