using System.Globalization;

namespace Hustle.LoadTest;

/// <summary>
/// The node's own figures as Prometheus reads them: one scrape of <c>GET /metrics</c> on the node's management port
/// (<c>Hustle:Metrics:Port</c>), the OpenTelemetry meters of the sync layer, ASP.NET Core, EF Core, the runtime and,
/// on PostgreSQL, Npgsql (every command the node sends, with its duration; Microsoft.Data.Sqlite has no meter).
/// Counters and histograms are totals since the node started: subtract two scrapes for a window.
/// </summary>
public sealed record NodeMetrics(
    long EventsWritten,
    long PushesSent,
    long PushesFailed,
    long PushesDropped,
    Histogram PushLatencyMs,
    Histogram RequestSeconds,
    long LiveHeapBytes,
    long GcAllocatedBytes,
    long Gen0,
    long Gen1,
    long Gen2,
    double GcPauseSeconds,
    long JitCompiledMethods,
    long ThreadPoolThreads,
    long ThreadPoolQueueLength,
    long LockContentions,
    long EfQueries,
    long EfSaves,
    Histogram DatabaseCommandSeconds)
{
    public static async Task<NodeMetrics> ScrapeAsync(HttpClient http, Uri endpoint)
    {
        using var response = await http.GetAsync(endpoint);
        response.EnsureSuccessStatusCode();
        var scrape = PrometheusScrape.Parse(await response.Content.ReadAsStringAsync());
        long Total(string name) => (long)scrape.Sum(name);
        return new NodeMetrics(
            Total("hustle_feed_events_written_total"),
            Total("hustle_sync_pushes_sent_total"),
            Total("hustle_sync_pushes_failed_total"),
            Total("hustle_sync_pushes_dropped_total"),
            scrape.Histogram("hustle_sync_push_latency_milliseconds"),
            scrape.Histogram("http_server_request_duration_seconds"),
            // After a collection the heap is what survived it, plus the holes it left.
            Total("dotnet_gc_last_collection_heap_size_bytes") - Total("dotnet_gc_last_collection_heap_fragmentation_size_bytes"),
            Total("dotnet_gc_heap_total_allocated_bytes_total"),
            (long)scrape.Sum("dotnet_gc_collections_total", "gc_heap_generation=\"gen0\""),
            (long)scrape.Sum("dotnet_gc_collections_total", "gc_heap_generation=\"gen1\""),
            (long)scrape.Sum("dotnet_gc_collections_total", "gc_heap_generation=\"gen2\""),
            scrape.Sum("dotnet_gc_pause_time_seconds_total"),
            Total("dotnet_jit_compiled_methods_total"),
            Total("dotnet_thread_pool_thread_count_total"),
            Total("dotnet_thread_pool_queue_length_total"),
            Total("dotnet_monitor_lock_contentions_total"),
            Total("microsoft_entityframeworkcore_queries_total"),
            Total("microsoft_entityframeworkcore_savechanges_total"),
            scrape.Histogram("db_client_operation_duration_seconds"));
    }
}

/// <summary>
/// A Prometheus histogram summed over its label sets: upper bounds (<c>le</c>) and the cumulative count at each.
/// </summary>
public sealed record Histogram(double[] Bounds, double[] Cumulative)
{
    public static readonly Histogram Empty = new([], []);

    public double Count => Cumulative.Length == 0 ? 0 : Cumulative[^1];

    /// <summary>What was recorded after <paramref name="earlier"/> (same buckets: the same instrument, scraped twice).</summary>
    public Histogram Since(Histogram earlier) => earlier.Cumulative.Length == 0
        ? this
        : new(Bounds, [.. Cumulative.Select((c, i) => c - earlier.Cumulative[i])]);

    /// <summary>
    /// The quantile as Prometheus' <c>histogram_quantile</c> estimates it: linear within the bucket that holds it; the
    /// highest finite bound when it falls in the last, open bucket. As precise as the buckets are narrow.
    /// </summary>
    public double Quantile(double q)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = q * Count;
        var i = Array.FindIndex(Cumulative, c => c >= rank);
        if (double.IsPositiveInfinity(Bounds[i]))
        {
            return i == 0 ? 0 : Bounds[i - 1];
        }

        var (lower, below) = i == 0 ? (0.0, 0.0) : (Bounds[i - 1], Cumulative[i - 1]);
        var inBucket = Cumulative[i] - below;
        return inBucket == 0 ? Bounds[i] : lower + (Bounds[i] - lower) * (rank - below) / inBucket;
    }
}

/// <summary>Prometheus' text exposition format (0.0.4), as much as the bench reads: <c>name{labels} value</c> lines.</summary>
public sealed class PrometheusScrape
{
    private readonly List<(string Name, string[] Labels, double Value)> _samples = [];

    public static PrometheusScrape Parse(string text)
    {
        var scrape = new PrometheusScrape();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var close = line.LastIndexOf('}');
            var name = brace < 0 ? line[..line.IndexOf(' ', StringComparison.Ordinal)] : line[..brace];
            var labels = brace < 0 ? [] : line[(brace + 1)..close].Split(',');
            var value = line[((brace < 0 ? name.Length : close + 1) + 1)..].Split(' ')[0];
            scrape._samples.Add((name, labels, ParseValue(value)));
        }

        return scrape;
    }

    /// <summary>The sum of a metric's samples that carry every one of <paramref name="labels"/> (<c>key="value"</c>).</summary>
    public double Sum(string name, params string[] labels) =>
        _samples.Where(s => s.Name == name && labels.All(s.Labels.Contains)).Sum(s => s.Value);

    /// <summary>A histogram's <c>_bucket</c> series, added up across label sets bucket by bucket.</summary>
    public Histogram Histogram(string name)
    {
        var buckets = _samples
            .Where(s => s.Name == name + "_bucket")
            .GroupBy(s => ParseValue(s.Labels.Single(l => l.StartsWith("le=", StringComparison.Ordinal))[4..^1]))
            .OrderBy(g => g.Key)
            .ToList();
        return buckets.Count == 0 ? Hustle.LoadTest.Histogram.Empty : new([.. buckets.Select(g => g.Key)], [.. buckets.Select(g => g.Sum(s => s.Value))]);
    }

    private static double ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// Scrapes the node once a second while the load runs, for what two scrapes around the run cannot show: the thread
/// pool's longest queue and most threads (a queue that grows while cores are idle is starvation, not load).
/// </summary>
public sealed class NodeSampler(HttpClient http, Uri endpoint)
{
    public long MaxQueueLength { get; private set; }

    public long MaxThreads { get; private set; }

    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var now = await NodeMetrics.ScrapeAsync(http, endpoint);
                MaxQueueLength = Math.Max(MaxQueueLength, now.ThreadPoolQueueLength);
                MaxThreads = Math.Max(MaxThreads, now.ThreadPoolThreads);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
