using System.Collections.Concurrent;
using System.Security.Claims;
using Hustle.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hustle.Web.Accounts;

/// <summary>
/// Whether a signed-in principal's session is still live: not signed out, and the user's security stamp unchanged
/// since sign-in. Asked on every authenticated request and hub connect, so the answer is kept in memory per session
/// for <see cref="SessionCacheOptions.CacheTtl"/>: a hit costs no database query; a miss costs one (the session joined
/// with its user's stamp). <see cref="SessionRevocations"/> evicts entries the moment a revocation is known here.
/// </summary>
public sealed class SessionCheck(IDbContextFactory<HustleDb> dbs, TimeProvider clock, IOptionsMonitor<SessionCacheOptions> options, IOptions<IdentityOptions> identity)
{
    /// <summary>The session joined with its user's stamp; compiled, as every hub connect asks it once.</summary>
    private static readonly PerModel<Func<HustleDb, string, CancellationToken, Task<SessionRow?>>> Session = new(() => EF.CompileAsyncQuery(
        (HustleDb db, string sessionId, CancellationToken ct) => (from s in db.Set<UserSession>().AsNoTracking()
                                                                   join u in db.Users on s.UserId equals u.Id
                                                                   where s.Id == sessionId
                                                                   select new SessionRow(s.UserId, s.RevokedAt != null, u.SecurityStamp)).FirstOrDefault()));

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly string _stampClaim = identity.Value.ClaimsIdentity.SecurityStampClaimType;
    private long _evictions;
    private long _nextPurge;

    public async ValueTask<bool> IsLiveAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        var session = principal.FindFirstValue(SessionClaims.Session);
        var user = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var stamp = principal.FindFirstValue(_stampClaim);
        if (session is null || user is null || stamp is null)
        {
            return false;
        }

        var now = clock.GetUtcNow().UtcTicks;
        if (!_entries.TryGetValue(session, out var entry) || entry.ExpiresAt <= now)
        {
            entry = await LoadAsync(session, now, ct);
        }

        return entry.Live && entry.UserId == user && entry.Stamp == stamp;
    }

    public void EvictSession(string sessionId)
    {
        Interlocked.Increment(ref _evictions);
        _entries.TryRemove(sessionId, out _);
    }

    public void EvictUser(string userId)
    {
        Interlocked.Increment(ref _evictions);
        foreach (var (id, entry) in _entries)
        {
            if (entry.UserId == userId)
            {
                _entries.TryRemove(id, out _);
            }
        }
    }

    private async Task<Entry> LoadAsync(string sessionId, long now, CancellationToken ct)
    {
        var evictions = Interlocked.Read(ref _evictions);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var row = await Session.For(db)(db, sessionId, ct);
        var ttl = options.CurrentValue.CacheTtl;
        var entry = new Entry(row?.UserId, row is { Revoked: false }, row?.SecurityStamp, now + ttl.Ticks);
        // A revocation that arrived while this read ran may not be in what it read: then the answer is used once, not kept.
        if (Interlocked.Read(ref _evictions) == evictions)
        {
            _entries[sessionId] = entry;
        }

        PurgeExpired(now, ttl);
        return entry;
    }

    private void PurgeExpired(long now, TimeSpan ttl)
    {
        var next = Interlocked.Read(ref _nextPurge);
        if (now < next || Interlocked.CompareExchange(ref _nextPurge, now + ttl.Ticks, next) != next)
        {
            return;
        }

        foreach (var (id, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
            {
                _entries.TryRemove(id, out _);
            }
        }
    }

    private sealed record Entry(string? UserId, bool Live, string? Stamp, long ExpiresAt);

    private sealed record SessionRow(string UserId, bool Revoked, string? SecurityStamp);
}
