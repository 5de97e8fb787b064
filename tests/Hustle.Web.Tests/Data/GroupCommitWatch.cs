using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Hustle.Web.Data;
using Hustle.Web.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hustle.Web.Tests.Data;

/// <summary>
/// One app's group commit as its meter (<see cref="SqliteGroupCommit.MeterName"/>) reports it: how many changes wait
/// for a batch, and how many each batch held. A test holds the writer with a change of its own, sends requests, and
/// waits here until their changes are queued behind it, so they share the next batch.
/// </summary>
public sealed class GroupCommitWatch : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly MeterListener _listener = new();
    private readonly Lock _lock = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private readonly ConcurrentQueue<int> _batches = new();
    private int _waiting;

    public GroupCommitWatch(TestApp app)
    {
        var meters = app.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SqliteGroupCommit.MeterName && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => Measured(instrument.Name, value));
        _listener.Start();
    }

    /// <summary>The size of each batch that ended since this watch started, in order.</summary>
    public IReadOnlyList<int> Batches => [.. _batches];

    /// <summary>Completes once at least <paramref name="count"/> changes wait for a batch.</summary>
    public Task WaitingAsync(int count)
    {
        lock (_lock)
        {
            if (_waiting >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task.WaitAsync(Patience);
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Measured(string instrument, int value)
    {
        if (instrument == "hustle.sqlite.batch_size")
        {
            _batches.Enqueue(value);
            return;
        }

        if (instrument != "hustle.sqlite.changes_waiting")
        {
            return;
        }

        lock (_lock)
        {
            _waiting += value;
            foreach (var waiter in _waiters.Where(w => w.Count <= _waiting).ToList())
            {
                waiter.Reached.SetResult();
                _waiters.Remove(waiter);
            }
        }
    }
}

/// <summary>A SQLite app that notes every push as it is handed to the real publisher.</summary>
public sealed class GroupCommitApp : SqliteApp
{
    public SqliteGroupCommit GroupCommit => Services.GetRequiredService<SqliteGroupCommit>();

    public PublishedPushes Published => Services.GetRequiredService<PublishedPushes>();

    protected override void ConfigureTestServices(IServiceCollection services)
    {
        services.AddSingleton<PublishedPushes>();
        services.RemoveAll<IFeedPublisher>();
        services.AddSingleton<IFeedPublisher>(sp => sp.GetRequiredService<PublishedPushes>());
    }
}

/// <summary>Pushes pass through to the real publisher; the job and type of each are noted first.</summary>
public sealed class PublishedPushes(SignalRFeedPublisher real) : IFeedPublisher
{
    private readonly ConcurrentQueue<(string? JobId, string Type)> _pushes = new();

    public bool Any(string jobId, string type) => _pushes.Contains((jobId, type));

    public void Publish(IReadOnlyList<FeedPush> pushes)
    {
        foreach (var push in pushes)
        {
            _pushes.Enqueue((push.Envelope.JobId, push.Envelope.Type));
        }

        real.Publish(pushes);
    }
}
