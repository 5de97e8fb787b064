using System.Threading.RateLimiting;

namespace Hustle.Web.Sync;

/// <summary>
/// Lets at most one typing signal per user and thread through every <see cref="Interval"/>, whatever a client
/// sends: a <see cref="PartitionedRateLimiter"/> with one partition per (user, thread), which also drops the
/// partitions nobody has used for a while. Per node: with several nodes a user whose devices sit on different nodes
/// may get one through on each.
/// </summary>
public sealed class TypingThrottle : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly PartitionedRateLimiter<(string UserId, string ThreadId)> _limiter;

    public TypingThrottle(TimeProvider clock) =>
        _limiter = PartitionedRateLimiter.Create<(string UserId, string ThreadId), (string, string)>(
            key => RateLimitPartition.Get(key, _ => new OnePerInterval(clock, Interval)));

    /// <summary>True when this signal may be forwarded (and counts it); false while the last one is too recent.</summary>
    public bool TryPass(string userId, string threadId)
    {
        using var lease = _limiter.AttemptAcquire((userId, threadId));
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();

    /// <summary>
    /// One permit per interval of the injected clock. The library's window limiters read the machine's clock, which
    /// tests cannot move; this one reads <see cref="TimeProvider"/>.
    /// </summary>
    private sealed class OnePerInterval(TimeProvider clock, TimeSpan interval) : RateLimiter
    {
        private readonly Lock _gate = new();
        private DateTimeOffset? _lastPassed;
        private long _refused;
        private long _passed;

        /// <summary>How long its permit has been free (null while it is used up): the partitioned limiter drops long-idle ones.</summary>
        public override TimeSpan? IdleDuration
        {
            get
            {
                lock (_gate)
                {
                    var free = _lastPassed is { } last ? clock.GetUtcNow() - last - interval : TimeSpan.Zero;
                    return free >= TimeSpan.Zero ? free : null;
                }
            }
        }

        public override RateLimiterStatistics GetStatistics()
        {
            lock (_gate)
            {
                return new RateLimiterStatistics { CurrentAvailablePermits = Available(clock.GetUtcNow()) ? 1 : 0, TotalFailedLeases = _refused, TotalSuccessfulLeases = _passed };
            }
        }

        protected override RateLimitLease AttemptAcquireCore(int permitCount)
        {
            lock (_gate)
            {
                var now = clock.GetUtcNow();
                if (permitCount > 1 || !Available(now))
                {
                    _refused++;
                    return Lease.Refused;
                }

                if (permitCount == 1)
                {
                    _lastPassed = now;
                    _passed++;
                }

                return Lease.Granted;
            }
        }

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
            ValueTask.FromResult(AttemptAcquireCore(permitCount));

        private bool Available(DateTimeOffset now) => _lastPassed is not { } last || now - last >= interval;
    }

    private sealed class Lease(bool acquired) : RateLimitLease
    {
        public static readonly Lease Granted = new(true);
        public static readonly Lease Refused = new(false);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
