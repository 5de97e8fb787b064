using System.Security.Claims;
using System.Security.Cryptography;
using Hustle.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Infrastructure;

/// <summary>The first answer to a state-changing request that carried an <c>Idempotency-Key</c>, kept to replay.</summary>
public sealed class IdempotencyRecord
{
    public required string UserId { get; init; }

    public required string Key { get; init; }

    public required string RequestHash { get; init; }

    public int? StatusCode { get; set; }

    public string? ContentType { get; set; }

    /// <summary>The answer's <c>Location</c> (a 201 names what it created), given again on a replay.</summary>
    public string? Location { get; set; }

    public byte[]? Body { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// <c>Idempotency-Key</c> on POST and PATCH: the first request with a key runs and its answer is kept; a replay with
/// the same method, path and body gets that answer again without running; the same key with another request is 422
/// <c>idempotency_mismatch</c>; a duplicate while the first is still running is 409. An answer to a change is kept in
/// the change's own transaction (<see cref="RequestIdempotency"/>), so a crash at any point either applied nothing
/// (the retry runs) or applied the change with its answer (the retry gets it). An answer without a change (a
/// refusal) is kept after it is written. Answers of 5xx are not kept, so a retry after a failure runs again. The
/// database context is asked for only when a request carries a key: a hub connection is one long request, and
/// holding a context (and its scope's services) for each would cost every connected user memory for nothing.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, ProblemExceptionHandler problems, IdempotencyKeysInFlight running)
{
    public const string Header = "Idempotency-Key";

    private static readonly PerModel<Func<HustleDb, string, string, CancellationToken, Task<IdempotencyRecord?>>> Kept = new(() => EF.CompileAsyncQuery(
        (HustleDb db, string userId, string key, CancellationToken ct) => db.Set<IdempotencyRecord>().AsNoTracking().FirstOrDefault(r => r.UserId == userId && r.Key == key)));

    public async Task InvokeAsync(HttpContext http)
    {
        var key = http.Request.Headers[Header].ToString();
        var userId = http.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (key.Length == 0 || userId is null || !(HttpMethods.IsPost(http.Request.Method) || HttpMethods.IsPatch(http.Request.Method)))
        {
            await next(http);
            return;
        }

        if (key.Length > 200)
        {
            throw ApiProblem.Validation($"{Header} must be at most 200 characters.");
        }

        var hash = await HashAsync(http);
        if (!running.TryEnter(userId, key))
        {
            throw RequestIdempotency.AlreadyBeingProcessed();
        }

        try
        {
            var db = http.RequestServices.GetRequiredService<HustleDb>();
            var existing = await Kept.For(db)(db, userId, key, http.RequestAborted);
            if (existing is not null)
            {
                await ReplayAsync(http, existing, hash);
                return;
            }

            var idempotency = http.RequestServices.GetRequiredService<RequestIdempotency>();
            idempotency.Expect(http, userId, key, hash);
            await RunAndKeepAsync(http, db, idempotency);
        }
        finally
        {
            running.Leave(userId, key);
        }
    }

    private async Task RunAndKeepAsync(HttpContext http, HustleDb db, RequestIdempotency idempotency)
    {
        var original = http.Response.Body;
        using var captured = new MemoryStream();
        http.Response.Body = captured;
        try
        {
            await next(http);
        }
        catch (Exception e)
        {
            // A refusal is an answer like any other: kept and replayed, so a retried refusal does not run again. Once
            // the change committed with its answer, a later failure is no new answer: the retry gets the kept one.
            if (idempotency.Committed is not null || !await problems.TryHandleAsync(http, e, http.RequestAborted))
            {
                http.Response.Body = original;
                throw;
            }
        }
        finally
        {
            http.Response.Body = original;
        }

        captured.Position = 0;
        await captured.CopyToAsync(original, http.RequestAborted);
        try
        {
            var location = http.Response.Headers.Location.ToString();
            await idempotency.KeepAsync(db, http.Response.StatusCode, http.Response.ContentType, location.Length == 0 ? null : location, captured.ToArray());
        }
        catch (Exception e) when (ProblemExceptionHandler.IsDatabaseUnavailable(e))
        {
            // Nothing was changed (a change keeps its answer with it): a retry simply runs again.
            http.RequestServices.GetRequiredService<ILogger<IdempotencyMiddleware>>().LogWarning(e, "Could not keep the answer for {Header} {Key}.", Header, http.Request.Headers[Header].ToString());
        }
    }

    /// <summary>
    /// SHA-256 of method, path and body, read once as it streams in. The body is kept for the endpoint in one buffer (in
    /// memory up to <see cref="BodyLimits.DefaultApiBytes"/>), which <see cref="BodyLimits"/> has already capped: a body
    /// over the cap is refused here, before a record exists.
    /// </summary>
    private static async Task<string> HashAsync(HttpContext http)
    {
        http.Request.EnableBuffering(bufferThreshold: (int)BodyLimits.DefaultApiBytes);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{http.Request.Method} {http.Request.Path}\n"));
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
            {
                sha.AppendData(chunk, 0, read);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }

        http.Request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static async Task ReplayAsync(HttpContext http, IdempotencyRecord existing, string hash)
    {
        if (existing.RequestHash != hash)
        {
            throw ApiProblem.IdempotencyMismatch();
        }

        if (existing.StatusCode is not { } status)
        {
            throw RequestIdempotency.AlreadyBeingProcessed();
        }

        http.Response.StatusCode = status;
        http.Response.Headers["Idempotent-Replayed"] = "true";
        if (existing.ContentType is not null)
        {
            http.Response.ContentType = existing.ContentType;
        }

        if (existing.Location is not null)
        {
            http.Response.Headers.Location = existing.Location;
        }

        await http.Response.Body.WriteAsync(existing.Body ?? [], http.RequestAborted);
    }
}
