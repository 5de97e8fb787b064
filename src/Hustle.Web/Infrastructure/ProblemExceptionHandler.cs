using Hustle.Domain.Jobs;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

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
            Features.Lifecycle.CodeRefusal { Error: var e } => (StatusFor(e.Code), e.Code, e.Message),
            BadHttpRequestException b => (b.StatusCode, "validation_failed", ReadableBadRequest(b)),
            DbUpdateConcurrencyException => (StatusCodes.Status409Conflict, "concurrency_conflict", ApiProblem.Concurrency().Message),
            OperationCanceledException when http.RequestAborted.IsCancellationRequested => (499, "client_closed", "The request was aborted."),
            _ when IsDatabaseUnavailable(exception) => (StatusCodes.Status503ServiceUnavailable, "service_unavailable", "The database is not reachable right now; nothing was changed. Try again shortly."),
            _ => (0, "", ""),
        };
        if (status == 0)
        {
            return false;
        }

        if (exception is RequestInvalidException invalid)
        {
            http.Response.StatusCode = status;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                Exception = exception,
                ProblemDetails = new HttpValidationProblemDetails(invalid.Errors)
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
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = status,
                Title = TitleFor(code),
                Detail = detail,
                Extensions = { ["code"] = code },
            },
        });
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

    private static string TitleFor(string code) => code switch
    {
        "invalid_transition" => "That is not possible in the job's current state.",
        "concurrency_conflict" => "Someone else changed this at the same moment.",
        "validation_failed" => "The request is not valid.",
        "not_found" => "Not found.",
        _ => code.Replace('_', ' '),
    };

    private static string ReadableBadRequest(BadHttpRequestException b) =>
        b.InnerException is System.Text.Json.JsonException json ? $"The JSON body could not be read: {json.Message}" : b.Message;

    private static bool IsDatabaseUnavailable(Exception e) =>
        e is System.Data.Common.DbException or TimeoutException && e.Message.Contains("connect", StringComparison.OrdinalIgnoreCase)
        || e.InnerException is { } inner && IsDatabaseUnavailable(inner);
}
