using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;

namespace Hustle.Web.Sync;

/// <summary>Hands committed events to the push path. Called only after the transaction commits.</summary>
public interface IFeedPublisher
{
    void Publish(IReadOnlyList<FeedPush> pushes);
}

/// <summary>
/// Queues pushes so the request that made the change answers without waiting on sockets or the backplane. One
/// worker starts the sends in commit order but does not wait for each: a send that hangs or fails (a slow
/// socket, Redis gone) holds up nobody, up to <see cref="MaxInFlight"/> at once and <see cref="SendTimeout"/>
/// each. A push that fails is counted and dropped: the feed has the event and the client's next fetch brings it.
/// </summary>
public sealed class SignalRFeedPublisher(
    IHubContext<SyncHub, ISyncClient> hub,
    SyncMetrics metrics,
    ILogger<SignalRFeedPublisher> log) : BackgroundService, IFeedPublisher
{
    public const int MaxInFlight = 256;
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);

    private readonly Channel<FeedPush> _queue = Channel.CreateUnbounded<FeedPush>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _inFlight = new(MaxInFlight, MaxInFlight);

    public void Publish(IReadOnlyList<FeedPush> pushes)
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var push in pushes)
        {
            _queue.Writer.TryWrite(push with { CommittedAtTimestamp = now });
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var push in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            await _inFlight.WaitAsync(stoppingToken);
            _ = SendAsync(push);
        }
    }

    private async Task SendAsync(FeedPush push)
    {
        try
        {
            // Started here, in queue order: SignalR and the Redis connection write in the order sends begin.
            await hub.Clients.User(push.UserId).Event(push.Envelope).WaitAsync(SendTimeout);
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
