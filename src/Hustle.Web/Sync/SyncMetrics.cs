using System.Diagnostics.Metrics;

namespace Hustle.Web.Sync;

/// <summary>
/// The sync layer's OpenTelemetry meter <c>Hustle.Sync</c>: connections by transport, events written, pushes sent
/// and the delay from commit to push. Read it live with <c>dotnet-counters monitor -n Hustle.Web --counters Hustle.Sync</c>.
/// </summary>
public sealed class SyncMetrics
{
    public const string MeterName = "Hustle.Sync";

    private readonly Counter<long> _eventsWritten;
    private readonly Counter<long> _pushesSent;
    private readonly Counter<long> _pushesFailed;
    private readonly Histogram<double> _pushLatency;
    private readonly UpDownCounter<long> _connections;

    public SyncMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _eventsWritten = meter.CreateCounter<long>("hustle.feed.events_written", "{event}", "Feed entries written (one per recipient).");
        _pushesSent = meter.CreateCounter<long>("hustle.sync.pushes_sent", "{push}", "Envelopes handed to SignalR for a user.");
        _pushesFailed = meter.CreateCounter<long>("hustle.sync.pushes_failed", "{push}", "Pushes that threw; the feed still has the event.");
        _pushLatency = meter.CreateHistogram<double>("hustle.sync.push_latency", "ms", "From commit of the change to the push being sent.");
        _connections = meter.CreateUpDownCounter<long>("hustle.sync.connections", "{connection}", "Open hub connections, by transport.");
    }

    public void EventsWritten(int count) => _eventsWritten.Add(count);

    public void PushSent(double latencyMs)
    {
        _pushesSent.Add(1);
        _pushLatency.Record(latencyMs);
    }

    public void PushFailed() => _pushesFailed.Add(1);

    public void Connected(string transport) => _connections.Add(1, new KeyValuePair<string, object?>("transport", transport));

    public void Disconnected(string transport) => _connections.Add(-1, new KeyValuePair<string, object?>("transport", transport));
}
