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
/// Queues pushes so the request that made the change answers without waiting on sockets or the backplane; a
/// single worker sends them in commit order. A push that fails is counted and dropped: the feed has the event and
/// the client's next fetch brings it.
/// </summary>
public sealed class SignalRFeedPublisher(
    IHubContext<SyncHub, ISyncClient> hub,
    SyncMetrics metrics,
    ILogger<SignalRFeedPublisher> log) : BackgroundService, IFeedPublisher
{
    private readonly Channel<FeedPush> _queue = Channel.CreateUnbounded<FeedPush>(new UnboundedChannelOptions { SingleReader = true });

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
            try
            {
                await hub.Clients.User(push.UserId).Event(push.Envelope);
                metrics.PushSent(Stopwatch.GetElapsedTime(push.CommittedAtTimestamp).TotalMilliseconds);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                metrics.PushFailed();
                log.LogWarning(e, "Push of {Type} seq {Seq} to {User} failed; the feed still has it.", push.Envelope.Type, push.Envelope.Seq, push.UserId);
            }
        }
    }
}
