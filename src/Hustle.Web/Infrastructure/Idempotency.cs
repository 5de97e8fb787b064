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
/// <c>Idempotency-Key</c> on POST and PATCH: the first request with a key runs and its answer is stored; a replay
/// with the same method, path and body gets that answer again without running; the same key with another request
/// is 422 <c>idempotency_mismatch</c>; a replay while the first is still running is 409. Answers of 5xx are not
/// kept, so a retry after a failure runs again. The database context is asked for only when a request carries a key:
/// a hub connection is one long request, and holding a context (and its scope's services) for each would cost every
/// connected user memory for nothing.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, TimeProvider clock, ProblemExceptionHandler problems)
{
    public const string Header = "Idempotency-Key";

    /// <summary>A record still without an answer after this long belongs to a request that died; a retry may take it over.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(1);

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

        var db = http.RequestServices.GetRequiredService<HustleDb>();
        var hash = await HashAsync(http);

        var existing = await db.Set<IdempotencyRecord>().AsNoTracking().FirstOrDefaultAsync(r => r.UserId == userId && r.Key == key, http.RequestAborted);
        if (existing is { StatusCode: null } && existing.CreatedAt < clock.GetUtcNow() - AbandonedAfter)
        {
            // Its request died without an answer (the database went away mid-request): run this one instead.
            await db.Set<IdempotencyRecord>().Where(r => r.UserId == userId && r.Key == key && r.StatusCode == null).ExecuteDeleteAsync(http.RequestAborted);
            existing = null;
        }

        if (existing is not null)
        {
            await ReplayAsync(http, existing, hash);
            return;
        }

        var record = new IdempotencyRecord { UserId = userId, Key = key, RequestHash = hash, CreatedAt = clock.GetUtcNow() };
        db.Add(record);
        try
        {
            await db.SaveChangesAsync(http.RequestAborted);
        }
        catch (DbUpdateException e) when (!ProblemExceptionHandler.IsDatabaseUnavailable(e))
        {
            throw new ApiProblem(StatusCodes.Status409Conflict, "concurrency_conflict", "A request with this Idempotency-Key is already being processed.");
        }

        db.ChangeTracker.Clear();
        var original = http.Response.Body;
        using var captured = new MemoryStream();
        http.Response.Body = captured;
        try
        {
            await next(http);
        }
        catch (Exception e)
        {
            // A refusal is an answer like any other: kept and replayed, so a retried wrong code does not cost a second try.
            if (!await problems.TryHandleAsync(http, e, http.RequestAborted))
            {
                http.Response.Body = original;
                await ForgetAsync(db, userId, key);
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
            await KeepAsync(db, userId, key, http.Response.StatusCode, http.Response.ContentType, location.Length == 0 ? null : location, captured.ToArray());
        }
        catch (Exception e) when (ProblemExceptionHandler.IsDatabaseUnavailable(e))
        {
            // The answer (most likely a 503 for this very outage) is already on its way; the record stays unfinished
            // and a retry takes it over once it is older than AbandonedAfter.
            http.RequestServices.GetRequiredService<ILogger<IdempotencyMiddleware>>().LogWarning(e, "Could not record the answer for {Header} {Key}.", Header, key);
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
            throw new ApiProblem(StatusCodes.Status409Conflict, "concurrency_conflict", "A request with this Idempotency-Key is already being processed.");
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

    private static async Task ForgetAsync(HustleDb db, string userId, string key)
    {
        db.ChangeTracker.Clear();
        await db.Set<IdempotencyRecord>().Where(r => r.UserId == userId && r.Key == key).ExecuteDeleteAsync();
    }

    /// <summary>
    /// Stores the answer on the record if it is still waiting for one (a 5xx removes it instead). A retry may have
    /// taken the record over meanwhile, this request having looked dead (<see cref="AbandonedAfter"/>): then the
    /// retry's record is answered by whichever of the two finishes first, and one already answered is left as it is.
    /// </summary>
    private static async Task KeepAsync(HustleDb db, string userId, string key, int status, string? contentType, string? location, byte[] body)
    {
        db.ChangeTracker.Clear();
        var waiting = db.Set<IdempotencyRecord>().Where(r => r.UserId == userId && r.Key == key && r.StatusCode == null);
        if (status >= 500)
        {
            await waiting.ExecuteDeleteAsync();
            return;
        }

        await waiting.ExecuteUpdateAsync(u => u
            .SetProperty(r => r.StatusCode, status)
            .SetProperty(r => r.ContentType, contentType)
            .SetProperty(r => r.Location, location)
            .SetProperty(r => r.Body, body));
    }
}
