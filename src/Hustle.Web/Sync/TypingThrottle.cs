using System.Collections.Concurrent;

namespace Hustle.Web.Sync;

/// <summary>
/// Lets at most one typing signal per user and thread through every <see cref="Interval"/>, whatever a client
/// sends. Per node: with several nodes a user whose devices sit on different nodes may get one through on each.
/// </summary>
public sealed class TypingThrottle(TimeProvider clock)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>Above this many remembered pairs, stale ones are dropped so the map does not grow for ever.</summary>
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<(string UserId, string ThreadId), DateTimeOffset> _lastPassed = new();

    /// <summary>True when this signal may be forwarded (and remembers it); false while the last one is too recent.</summary>
    public bool TryPass(string userId, string threadId)
    {
        var now = clock.GetUtcNow();
        var key = (userId, threadId);
        while (true)
        {
            if (!_lastPassed.TryGetValue(key, out var last))
            {
                if (_lastPassed.TryAdd(key, now))
                {
                    PruneIfLarge(now);
                    return true;
                }
            }
            else if (now - last < Interval)
            {
                return false;
            }
            else if (_lastPassed.TryUpdate(key, now, last))
            {
                return true;
            }
        }
    }

    private void PruneIfLarge(DateTimeOffset now)
    {
        if (_lastPassed.Count <= PruneAbove)
        {
            return;
        }

        foreach (var (key, at) in _lastPassed)
        {
            if (now - at >= Interval)
            {
                _lastPassed.TryRemove(new KeyValuePair<(string, string), DateTimeOffset>(key, at));
            }
        }
    }
}
