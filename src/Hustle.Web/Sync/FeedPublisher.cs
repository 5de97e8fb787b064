using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Hustle.Web.Sync;

/// <summary>Hands committed events to the push path. Called only after the transaction commits.</summary>
public interface IFeedPublisher
{
    void Publish(IReadOnlyList<FeedPush> pushes);
}

/// <summary>The push queue's bounds (<c>Hustle:Sync</c>).</summary>
public sealed class PushQueueOptions
{
    public const string Section = "Hustle:Sync";

    /// <summary>Pushes waiting to be sent; beyond this, new pushes are dropped (counted) and clients catch up from the feed.</summary>
    [Range(1, 10_000_000)]
    public int PushQueueCapacity { get; set; } = 10_000;

    /// <summary>Sends started and not yet finished at once.</summary>
    [Range(1, 100_000)]
    public int PushesInFlight { get; set; } = 256;
}

/// <summary>
/// Queues pushes so the request that made the change answers without waiting on sockets or the backplane. One
/// worker starts the sends in commit order but does not wait for each: a send that hangs or fails (a slow
/// socket, Redis gone) holds up nobody, up to <see cref="PushQueueOptions.PushesInFlight"/> at once and
/// <see cref="SendTimeout"/> each. A push that fails is counted and dropped: the feed has the event and the client's
/// next fetch brings it. The queue is bounded (<see cref="PushQueueOptions.PushQueueCapacity"/>): when sends fall
/// that far behind, a new push is dropped and counted rather than held in memory, and the committing request never
/// waits for room; the feed has the event, and clients fetch it on their next poll or reconnect.
/// </summary>
public sealed class SignalRFeedPublisher(
    IHubContext<SyncHub, ISyncClient> hub,
    SyncMetrics metrics,
    IOptions<PushQueueOptions> options,
    TimeProvider clock,
    ILogger<SignalRFeedPublisher> log) : BackgroundService, IFeedPublisher
{
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);

    private readonly Channel<FeedPush> _queue = Channel.CreateBounded<FeedPush>(new BoundedChannelOptions(Math.Max(1, options.Value.PushQueueCapacity))
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait, // TryWrite then answers false at once: the push is dropped, the writer never waits
    });

    private readonly SemaphoreSlim _inFlight = new(Math.Max(1, options.Value.PushesInFlight));

    public void Publish(IReadOnlyList<FeedPush> pushes)
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var push in pushes)
        {
            if (!_queue.Writer.TryWrite(push with { CommittedAtTimestamp = now }))
            {
                metrics.PushDropped();
                log.LogWarning("Push queue full: {Type} seq {Seq} to {User} dropped; the feed has it.", push.Envelope.Type, push.Envelope.Seq, push.UserId);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A slot first, then the next push: while every slot is taken, pushes wait in the bounded queue.
        while (await _queue.Reader.WaitToReadAsync(stoppingToken))
        {
            await _inFlight.WaitAsync(stoppingToken);
            if (_queue.Reader.TryRead(out var push))
            {
                _ = SendAsync(push);
            }
            else
            {
                _inFlight.Release();
            }
        }
    }

    private async Task SendAsync(FeedPush push)
    {
        try
        {
            // Started here, in queue order: SignalR and the Redis connection write in the order sends begin.
            await hub.Clients.User(push.UserId).Event(push.Envelope).WaitAsync(SendTimeout, clock);
            metrics.PushSent(Stopwatch.GetElapsedTime(push.CommittedAtTimestamp).TotalMilliseconds);
        }
        catch (Exception e)
        {
            metrics.PushFailed();
            log.LogWarning(e, "Push of {Type} seq {Seq} to {User} failed; the feed still has it.", push.Envelope.Type, push.Envelope.Seq, push.UserId);
        }
        finally
        {
            _inFlight.Release();
        }
    }
}
