using Hustle.Domain;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Reflection;
using System.Text.Json;
using Hustle.Web.Sync;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Hustle.Web.Tests.Sync;

/// <summary>
/// The push worker never waits on one send before starting the next: a send that hangs (a dead socket, a Redis
/// that stopped answering) or throws (Redis gone) costs that one push, never the ones behind it, and never the worker.
/// </summary>
public sealed class FeedPublisherTests
{
    [Fact]
    public async Task A_send_that_hangs_and_one_that_throws_do_not_hold_up_the_pushes_behind_them()
    {
        var hub = new ScriptedHub();
        hub.Behaviour["stuck"] = _ => new TaskCompletionSource().Task; // never completes
        hub.Behaviour["broken"] = _ => Task.FromException(new InvalidOperationException("No connection is active/available to service this operation."));
        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new SyncMetrics(meters.GetRequiredService<IMeterFactory>());
        using var publisher = new SignalRFeedPublisher(hub, metrics, Options.Create(new PushQueueOptions()), TimeProvider.System, NullLogger<SignalRFeedPublisher>.Instance);
        await publisher.StartAsync(CancellationToken.None);

        publisher.Publish([Push("stuck", 1), Push("broken", 1), Push("ok", 1)]);
        publisher.Publish([Push("stuck", 2), Push("broken", 2), Push("ok", 2)]);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        Assert.Equal(1, (await hub.Delivered.Reader.ReadAsync(timeout.Token)).Seq);
        Assert.Equal(2, (await hub.Delivered.Reader.ReadAsync(timeout.Token)).Seq);
        Assert.Equal(2, metrics.Snapshot().PushesFailed);
        Assert.Equal(2, metrics.Snapshot().PushesSent);

        await publisher.StopAsync(CancellationToken.None);
    }

    private static FeedPush Push(string user, long seq) =>
        new(user, new FeedEnvelope(seq, $"evt_{user}_{seq}", "JOB_UPDATED", "job_1", TestApp.Start, JsonDocument.Parse("{}").RootElement), 0);

    /// <summary>A hub context whose sends per user do what the test says; everything else delivers.</summary>
    public sealed class ScriptedHub : IHubContext<SyncHub, ISyncClient>, IHubClients<ISyncClient>
    {
        public ConcurrentDictionary<string, Func<FeedEnvelope, Task>> Behaviour { get; } = new();

        public System.Threading.Channels.Channel<FeedEnvelope> Delivered { get; } = System.Threading.Channels.Channel.CreateUnbounded<FeedEnvelope>();

        public IHubClients<ISyncClient> Clients => this;

        public IGroupManager Groups => throw new NotSupportedException();

        public ISyncClient User(string userId)
        {
            var client = DispatchProxy.Create<ISyncClient, ScriptedClient>();
            ((ScriptedClient)(object)client).Send = envelope =>
            {
                if (Behaviour.TryGetValue(userId, out var behaviour))
                {
                    return behaviour(envelope);
                }

                Delivered.Writer.TryWrite(envelope);
                return Task.CompletedTask;
            };
            return client;
        }

        public ISyncClient All => throw new NotSupportedException();

        public ISyncClient AllExcept(IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

        public ISyncClient Client(string connectionId) => throw new NotSupportedException();

        ISyncClient IHubClients<ISyncClient>.Clients(IReadOnlyList<string> connectionIds) => throw new NotSupportedException();

        public ISyncClient Group(string groupName) => throw new NotSupportedException();

        public ISyncClient GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

        ISyncClient IHubClients<ISyncClient>.Groups(IReadOnlyList<string> groupNames) => throw new NotSupportedException();

        public ISyncClient Users(IReadOnlyList<string> userIds) => throw new NotSupportedException();
    }

    /// <summary>Any <see cref="ISyncClient"/> method; only <c>Event</c> is sent by the publisher.</summary>
    public class ScriptedClient : DispatchProxy
    {
        public Func<FeedEnvelope, Task> Send { get; set; } = _ => Task.CompletedTask;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod?.Name == nameof(ISyncClient.Event) ? Send((FeedEnvelope)args![0]!) : Task.CompletedTask;
    }
}
