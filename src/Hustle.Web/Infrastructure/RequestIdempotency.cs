using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Hustle.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Infrastructure;

/// <summary>
/// The <c>Idempotency-Key</c> of the request in hand (when it carries one not answered before) and the answer kept for
/// it. A writer that commits a client's change keeps the answer in the same transaction (<see cref="PrepareAsync"/>):
/// a process killed after that commit leaves a key that replays the answer, one killed before it leaves nothing, and
/// the retry runs. There is never a key waiting for an answer.
/// </summary>
public sealed class RequestIdempotency(ProblemExceptionHandler problems, TimeProvider clock)
{
    private HttpContext? _http;
    private string _userId = "";
    private string _key = "";
    private string _hash = "";

    /// <summary>The answer committed with this request's change, once that change committed.</summary>
    public IdempotencyRecord? Committed { get; private set; }

    internal void Expect(HttpContext http, string userId, string key, string hash) => (_http, _userId, _key, _hash) = (http, userId, key, hash);

    /// <summary>
    /// Inside the caller's open transaction, after its change is saved: works out the answer (a value, or the refusal
    /// <paramref name="answer"/> throws, like a wrong code that still counts a try) and, for a keyed request, saves it
    /// with the change. The caller commits, then gives the answer with <see cref="PreparedAnswer{T}.Give"/>. A racing
    /// request with the same key that committed first makes this change fail with 409, so it applies once.
    /// </summary>
    public async Task<PreparedAnswer<T>> PrepareAsync<T>(HustleDb db, Func<T> answer, CancellationToken ct)
    {
        PreparedAnswer<T> prepared;
        try
        {
            prepared = new(this, answer(), null, null);
        }
        catch (Exception refusal)
        {
            prepared = new(this, default, ExceptionDispatchInfo.Capture(refusal), null);
        }

        if (_http is null || Committed is not null || await RenderAsync(prepared, ct) is not { } record)
        {
            return prepared;
        }

        db.Add(record);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (!ProblemExceptionHandler.IsDatabaseUnavailable(e))
        {
            db.ChangeTracker.Clear();
            throw AlreadyBeingProcessed();
        }

        return prepared with { Record = record };
    }

    /// <summary>Keeps the answer of a keyed request that committed no change through <see cref="PrepareAsync"/> (a refusal, mostly).</summary>
    internal async Task KeepAsync(HustleDb db, int status, string? contentType, string? location, byte[] body)
    {
        if (_http is null || Committed is not null || status >= 500)
        {
            return;
        }

        db.ChangeTracker.Clear();
        db.Add(NewRecord(status, contentType, location, body));
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException e) when (!ProblemExceptionHandler.IsDatabaseUnavailable(e))
        {
            // The same key answered on another node meanwhile: its answer is the one kept.
            db.ChangeTracker.Clear();
        }
    }

    internal static ApiProblem AlreadyBeingProcessed() =>
        new(StatusCodes.Status409Conflict, "concurrency_conflict", "A request with this Idempotency-Key is already being processed.");

    internal void MarkCommitted(IdempotencyRecord record) => Committed = record;

    /// <summary>
    /// The answer as the client gets it: the value or the refusal written by the same code that writes the real
    /// response, into a scratch context of this request. Null for what is no answer to keep (a 5xx, a bug).
    /// </summary>
    private async Task<IdempotencyRecord?> RenderAsync<T>(PreparedAnswer<T> prepared, CancellationToken ct)
    {
        var http = _http!;
        var scratch = new DefaultHttpContext { RequestServices = http.RequestServices, TraceIdentifier = http.TraceIdentifier, User = http.User };
        scratch.Request.Method = http.Request.Method;
        scratch.Request.Path = http.Request.Path;
        scratch.Request.Headers.Accept = http.Request.Headers.Accept;
        using var body = new MemoryStream();
        scratch.Response.Body = body;
        if (prepared.Refusal is { } refusal)
        {
            if (!await problems.TryHandleAsync(scratch, refusal.SourceException, ct))
            {
                return null;
            }
        }
        else
        {
            await (prepared.Value as IResult ?? TypedResults.Ok(prepared.Value)).ExecuteAsync(scratch);
        }

        var location = scratch.Response.Headers.Location.ToString();
        return scratch.Response.StatusCode >= 500 ? null : NewRecord(scratch.Response.StatusCode, scratch.Response.ContentType, location.Length == 0 ? null : location, body.ToArray());
    }

    private IdempotencyRecord NewRecord(int status, string? contentType, string? location, byte[] body) => new()
    {
        UserId = _userId,
        Key = _key,
        RequestHash = _hash,
        StatusCode = status,
        ContentType = contentType,
        Location = location,
        Body = body,
        CreatedAt = clock.GetUtcNow(),
    };
}

/// <summary>An answer worked out inside a transaction, given once the transaction committed.</summary>
public sealed record PreparedAnswer<T>(RequestIdempotency Owner, T? Value, ExceptionDispatchInfo? Refusal, IdempotencyRecord? Record)
{
    /// <summary>The answer (or its refusal, thrown); for a keyed request it is now the one its key replays.</summary>
    public T Give()
    {
        if (Record is not null)
        {
            Owner.MarkCommitted(Record);
        }

        Refusal?.Throw();
        return Value!;
    }
}

/// <summary>The keys of requests running on this node: a duplicate that arrives meanwhile is told so (409) rather than run.</summary>
public sealed class IdempotencyKeysInFlight
{
    private readonly ConcurrentDictionary<(string UserId, string Key), byte> _running = new();

    public bool TryEnter(string userId, string key) => _running.TryAdd((userId, key), 0);

    public void Leave(string userId, string key) => _running.TryRemove((userId, key), out _);
}

public static class IdempotencySetup
{
    public static IServiceCollection AddIdempotency(this IServiceCollection services) =>
        services.AddScoped<RequestIdempotency>().AddSingleton<IdempotencyKeysInFlight>();
}
