using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Hustle.Web.Sync;

/// <summary>
/// The sync layer's OpenTelemetry meter <c>Hustle.Sync</c>: connections by transport, events written, pushes sent
/// (failed, dropped when the queue is full) and the delay from commit to push. Prometheus reads it at <c>GET /metrics</c> (<c>TelemetrySetup</c>);
/// <c>dotnet-counters monitor -n Hustle.Web --counters Hustle.Sync</c> live; a snapshot of this node at <c>GET /api/ops/metrics</c>.
/// </summary>
public sealed class SyncMetrics
{
    public const string MeterName = "Hustle.Sync";
    private const int LatencySamples = 4096;

    /// <summary>Fine below 50 ms, where a push should land, so that a percentile read from the buckets means something.</summary>
    private static readonly InstrumentAdvice<double> LatencyBuckets = new()
    {
        HistogramBucketBoundaries = [0.5, 1, 2, 3, 4, 5, 7.5, 10, 15, 20, 25, 35, 50, 75, 100, 150, 250, 500, 1000, 2500, 5000, 10000],
    };

    private readonly Counter<long> _eventsWritten;
    private readonly Counter<long> _pushesSent;
    private readonly Counter<long> _pushesFailed;
    private readonly Counter<long> _pushesDropped;
    private readonly Histogram<double> _pushLatency;
    private readonly UpDownCounter<long> _connections;
    private readonly ConcurrentDictionary<string, long> _byTransport = new();
    private readonly double[] _latencies = new double[LatencySamples];
    private long _eventsWrittenTotal;
    private long _pushesSentTotal;
    private long _pushesFailedTotal;
    private long _pushesDroppedTotal;

    public SyncMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _eventsWritten = meter.CreateCounter<long>("hustle.feed.events_written", "{event}", "Feed entries written (one per recipient).");
        _pushesSent = meter.CreateCounter<long>("hustle.sync.pushes_sent", "{push}", "Envelopes handed to SignalR for a user.");
        _pushesFailed = meter.CreateCounter<long>("hustle.sync.pushes_failed", "{push}", "Pushes that threw; the feed still has the event.");
        _pushesDropped = meter.CreateCounter<long>("hustle.sync.pushes_dropped", "{push}", "Pushes dropped because the push queue was full; the feed still has the event.");
        _pushLatency = meter.CreateHistogram<double>("hustle.sync.push_latency", "ms", "From commit of the change to the push being sent.", tags: null, LatencyBuckets);
        _connections = meter.CreateUpDownCounter<long>("hustle.sync.connections", "{connection}", "Open hub connections, by transport.");
    }

    public void EventsWritten(int count)
    {
        _eventsWritten.Add(count);
        Interlocked.Add(ref _eventsWrittenTotal, count);
    }

    public void PushSent(double latencyMs)
    {
        _pushesSent.Add(1);
        _pushLatency.Record(latencyMs);
        var n = Interlocked.Increment(ref _pushesSentTotal);
        _latencies[(n - 1) % LatencySamples] = latencyMs;
    }

    public void PushFailed()
    {
        _pushesFailed.Add(1);
        Interlocked.Increment(ref _pushesFailedTotal);
    }

    public void PushDropped()
    {
        _pushesDropped.Add(1);
        Interlocked.Increment(ref _pushesDroppedTotal);
    }

    public void Connected(string transport)
    {
        _connections.Add(1, new KeyValuePair<string, object?>("transport", transport));
        _byTransport.AddOrUpdate(transport, 1, (_, n) => n + 1);
    }

    public void Disconnected(string transport)
    {
        _connections.Add(-1, new KeyValuePair<string, object?>("transport", transport));
        _byTransport.AddOrUpdate(transport, 0, (_, n) => n - 1);
    }

    /// <summary>This node's numbers since start; latency percentiles over the last 4096 pushes; the runtime's memory, GC and CPU.</summary>
    public SyncMetricsSnapshot Snapshot()
    {
        var sent = Interlocked.Read(ref _pushesSentTotal);
        var window = _latencies.Take((int)Math.Min(sent, LatencySamples)).Order().ToArray();
        double At(double q) => window.Length == 0 ? 0 : window[(int)Math.Min(window.Length - 1, Math.Floor(q * window.Length))];
        return new SyncMetricsSnapshot(
            new Dictionary<string, long>(_byTransport),
            Interlocked.Read(ref _eventsWrittenTotal),
            sent,
            Interlocked.Read(ref _pushesFailedTotal),
            Interlocked.Read(ref _pushesDroppedTotal),
            new LatencySummary(window.Length, At(0.5), At(0.95), At(0.99), window.Length == 0 ? 0 : window[^1]),
            RuntimeSnapshot.Now());
    }
}

/// <summary>
/// The process as the .NET runtime sees it, for capacity figures (the load benchmark reads memory per connection and
/// GC cost from here): bytes, collection counts since start, CPU and GC pause time since start in milliseconds, and
/// the methods the JIT has compiled (a figure still rising means the code is not yet at its steady-state speed).
/// </summary>
public sealed record RuntimeSnapshot(
    long WorkingSetBytes,
    long GcHeapBytes,
    long GcCommittedBytes,
    long GcAllocatedBytes,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    double GcPauseMs,
    double CpuMs,
    int ThreadPoolThreads,
    long JitCompiledMethods)
{
    public static RuntimeSnapshot Now() => new(
        Environment.WorkingSet,
        GC.GetTotalMemory(forceFullCollection: false),
        GC.GetGCMemoryInfo().TotalCommittedBytes,
        GC.GetTotalAllocatedBytes(),
        GC.CollectionCount(0),
        GC.CollectionCount(1),
        GC.CollectionCount(2),
        GC.GetTotalPauseDuration().TotalMilliseconds,
        Environment.CpuUsage.TotalTime.TotalMilliseconds,
        ThreadPool.ThreadCount,
        System.Runtime.JitInfo.GetCompiledMethodCount());
}

public sealed record LatencySummary(int Samples, double P50Ms, double P95Ms, double P99Ms, double MaxMs);

public sealed record SyncMetricsSnapshot(IReadOnlyDictionary<string, long> ConnectionsByTransport, long EventsWritten, long PushesSent, long PushesFailed, long PushesDropped, LatencySummary PushLatency, RuntimeSnapshot Runtime);
