using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Hustle.Web.Accounts;

/// <summary><c>Hustle:SignIn</c>: how password guessing is slowed down (instead of a lockout anyone could trigger).</summary>
public sealed class SignInThrottleOptions
{
    public const string Section = "Hustle:SignIn";

    /// <summary>Wrong passwords for one account from one address before each further attempt has to wait.</summary>
    [Range(0, 1000)]
    public int FreeFailures { get; set; } = 3;

    /// <summary>The first wait; it doubles with every further wrong password from that address.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two attempts for one account from one address.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "7.00:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Wrong passwords for one account from all addresses per hour; beyond, only addresses it signed in from before may try.</summary>
    [Range(1, int.MaxValue)]
    public int AccountFailuresPerHour { get; set; } = 100;

    /// <summary>Wrong passwords from one address for all accounts per hour.</summary>
    [Range(1, int.MaxValue)]
    public int AddressFailuresPerHour { get; set; } = 100;
}

/// <summary>
/// Slows password guessing per (account, client address) with a doubling wait, and caps wrong passwords per account
/// and per address. A stranger's failures from their address never lock the owner out of theirs: the per-account cap
/// spares addresses the account has signed in from. Kept in this node's memory: with several nodes behind a
/// balancer each node counts on its own.
/// </summary>
public sealed class SignInThrottle(TimeProvider clock, IOptionsMonitor<SignInThrottleOptions> options)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private static readonly TimeSpan Remembered = TimeSpan.FromDays(30);
    private static readonly TimeSpan PairMemory = TimeSpan.FromDays(1);

    private readonly ConcurrentDictionary<string, Guesses> _pairs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Guesses> _accounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Guesses> _addresses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _knownAddresses = new(StringComparer.Ordinal);
    private DateTimeOffset _nextPurge;

    /// <summary>How long this attempt must wait, or null when it may go ahead.</summary>
    public TimeSpan? RetryAfter(string account, string address)
    {
        var now = clock.GetUtcNow();
        var o = options.CurrentValue;
        var waits = new List<TimeSpan>();
        if (_pairs.TryGetValue(Pair(account, address), out var pair) && pair.Count >= o.FreeFailures)
        {
            var doublings = Math.Min(pair.Count - o.FreeFailures, 30);
            var delay = TimeSpan.FromTicks(Math.Min(o.FirstDelay.Ticks * (1L << doublings), o.MaxDelay.Ticks));
            waits.Add(pair.Last + delay - now);
        }

        if (_addresses.TryGetValue(address, out var fromAddress) && fromAddress.Count >= o.AddressFailuresPerHour)
        {
            waits.Add(fromAddress.First + Window - now);
        }

        if (_accounts.TryGetValue(account, out var onAccount) && onAccount.Count >= o.AccountFailuresPerHour
            && !_knownAddresses.ContainsKey(Pair(account, address)))
        {
            waits.Add(onAccount.First + Window - now);
        }

        var wait = waits.Count == 0 ? TimeSpan.Zero : waits.Max();
        return wait > TimeSpan.Zero ? wait : null;
    }

    public void Failed(string account, string address)
    {
        var now = clock.GetUtcNow();
        _pairs.AddOrUpdate(Pair(account, address), _ => new Guesses(now, now, 1), (_, g) => g.Add(now, PairMemory));
        _accounts.AddOrUpdate(account, _ => new Guesses(now, now, 1), (_, g) => g.Add(now, Window));
        _addresses.AddOrUpdate(address, _ => new Guesses(now, now, 1), (_, g) => g.Add(now, Window));
        Purge(now);
    }

    public void Succeeded(string account, string address)
    {
        _pairs.TryRemove(Pair(account, address), out _);
        _knownAddresses[Pair(account, address)] = clock.GetUtcNow();
    }

    private static string Pair(string account, string address) => $"{account}\n{address}";

    private void Purge(DateTimeOffset now)
    {
        if (now < _nextPurge)
        {
            return;
        }

        _nextPurge = now + Window;
        Sweep(_pairs, g => g.First + PairMemory <= now);
        Sweep(_accounts, g => g.First + Window <= now);
        Sweep(_addresses, g => g.First + Window <= now);
        Sweep(_knownAddresses, at => at + Remembered <= now);
    }

    private static void Sweep<T>(ConcurrentDictionary<string, T> entries, Func<T, bool> stale)
    {
        foreach (var (key, value) in entries)
        {
            if (stale(value))
            {
                entries.TryRemove(key, out _);
            }
        }
    }

    /// <summary>Wrong passwords counted since <see cref="First"/>; a count older than its window starts again.</summary>
    private sealed record Guesses(DateTimeOffset First, DateTimeOffset Last, int Count)
    {
        public Guesses Add(DateTimeOffset now, TimeSpan window) =>
            First + window <= now ? new Guesses(now, now, 1) : this with { Last = now, Count = Count + 1 };
    }
}
