using Hustle.Domain;
using System.Net;
using System.Net.Http.Json;

using Hustle.Web.Sync;
using Hustle.Web.Tests;
using Hustle.Web.Tests.Sync;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace Hustle.Scale.Tests;

/// <summary>
/// Redis carries pushes between nodes, and only pushes: without it the nodes go on serving every request, the
/// feed brings every event, and push comes back by itself when Redis does. Each test runs its own Redis server
/// so it can kill it without disturbing the others.
/// </summary>
public sealed class RedisOutageTests
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task With_Redis_killed_transitions_still_succeed_events_come_through_the_feed_and_push_resumes_when_it_returns()
    {
        await using var redis = RedisServer.OnFreePort();
        await redis.StartAsync();
        await using var cluster = Cluster.Start(redis.Address);
        var (a, b) = (cluster.A, cluster.B);
        var answers = new List<HttpResponseMessage>();

        var customerUser = await a.CreateUserAsync("customer");
        var hustlerUser = await b.CreateUserAsync("hustler");
        await using var customer = await LiveUser.ConnectAsync(b, b.As(customerUser), HttpTransportType.WebSockets);
        await using var hustler = await LiveUser.ConnectAsync(a, a.As(hustlerUser), HttpTransportType.WebSockets);
        var (customerViaA, customerViaB, hustlerViaB) = (a.As(customerUser), b.As(customerUser), b.As(hustlerUser));

        var jobId = (await customerViaA.PostFlatJobAsync()).Str("id");
        await customer.NextAsync("JOB_CREATED"); // pushed from A to B over Redis

        await redis.StopAsync();

        // Every request through either node still answers as usual.
        var offer = await Keep(answers, hustlerViaB.PostAsync($"/api/jobs/{jobId}/offers", new { message = "Me!" }));
        Assert.Equal(HttpStatusCode.Created, offer.StatusCode);
        var accepted = await Keep(answers, customerViaA.PostAsync($"/api/offers/{(await offer.Json(HttpStatusCode.Created)).Str("id")}/accept"));
        Assert.Equal("SCHEDULED", (await accepted.Json()).Str("status"));
        foreach (var node in cluster.Nodes)
        {
            await Keep(answers, node.As(customerUser).Client.GetAsync("/api/jobs/mine"));
            await Keep(answers, node.As(customerUser).Client.GetAsync($"/api/jobs/{jobId}/history"));
            await Keep(answers, node.As(customerUser).Client.GetAsync("/api/threads")); // presence falls back to this node's view
            var health = await Keep(answers, node.CreateClient().GetAsync("/health"));
            Assert.Equal(HttpStatusCode.OK, health.StatusCode); // degraded, still in rotation
        }

        Assert.All(answers, r => Assert.True((int)r.StatusCode < 500, $"{r.RequestMessage?.RequestUri} answered {(int)r.StatusCode}"));

        // The pushes had nowhere to go; the clients' poll of the feed brings every event, in order, once.
        await customer.Follower.CatchUpAsync();
        await hustler.Follower.CatchUpAsync();
        await customer.NextAsync("OFFER_RECEIVED");
        await customer.NextAsync("JOB_ASSIGNED");
        await hustler.NextAsync("OFFER_RECEIVED");
        await hustler.NextAsync("JOB_ASSIGNED");
        Assert.Equal(0, customer.Follower.DuplicatesDropped);
        Assert.Equal(0, hustler.Follower.DuplicatesDropped);
        foreach (var node in cluster.Nodes)
        {
            Assert.False(node.Services.GetRequiredService<BackplaneConnection>().IsConnected);
        }

        // Redis comes back on the same port: the nodes reconnect and re-subscribe on their own, no restart.
        await redis.StartAsync();
        await PushWorksAgainAsync(cluster, customer, attempt => customerViaA.Client.PatchAsJsonAsync($"/api/jobs/{jobId}", new { title = $"Fix the sink, take {attempt}" }));
        await PushWorksAgainAsync(cluster, hustler, attempt => customerViaB.Client.PatchAsJsonAsync($"/api/jobs/{jobId}", new { description = $"Leaks, take {attempt}" }));
    }

    [Fact]
    public async Task A_node_starts_and_serves_without_Redis_and_pushes_across_nodes_once_Redis_appears()
    {
        await using var redis = RedisServer.OnFreePort(); // not started yet
        await using var cluster = Cluster.Start(redis.Address);
        var (a, b) = (cluster.A, cluster.B);

        var customerUser = await a.CreateUserAsync("customer");
        var jobId = (await b.As(customerUser).PostFlatJobAsync()).Str("id");
        Assert.Equal(HttpStatusCode.OK, (await a.CreateClient().GetAsync("/health")).StatusCode);

        await redis.StartAsync();
        using (var timeout = new CancellationTokenSource(Recovery))
        {
            foreach (var node in cluster.Nodes)
            {
                await node.Services.GetRequiredService<BackplaneConnection>().WaitUntilConnectedAsync(timeout.Token);
            }
        }

        await using var customer = await LiveUser.ConnectAsync(b, b.As(customerUser), HttpTransportType.WebSockets);
        await PushWorksAgainAsync(cluster, customer, attempt => a.As(customerUser).Client.PatchAsJsonAsync($"/api/jobs/{jobId}", new { title = $"Fix the sink, take {attempt}" }));
    }

    private static async Task<HttpResponseMessage> Keep(List<HttpResponseMessage> answers, Task<HttpResponseMessage> request)
    {
        var response = await request;
        answers.Add(response);
        return response;
    }

    /// <summary>
    /// Waits (at most <see cref="Recovery"/>) for both nodes to be back on Redis, then makes a change that concerns
    /// <paramref name="receiver"/> until one arrives by push rather than by the feed. A change made just before the
    /// node re-subscribed is lost as a push (the feed brings it): that is what the repeat is for.
    /// </summary>
    private static async Task PushWorksAgainAsync(Cluster cluster, LiveUser receiver, Func<int, Task<HttpResponseMessage>> change)
    {
        using var timeout = new CancellationTokenSource(Recovery);
        foreach (var node in cluster.Nodes)
        {
            await node.Services.GetRequiredService<BackplaneConnection>().WaitUntilConnectedAsync(timeout.Token);
        }

        for (var attempt = 1; ; attempt++)
        {
            Assert.False(timeout.IsCancellationRequested, $"No push reached {receiver.User.Email} within {Recovery} of Redis coming back.");
            await receiver.Follower.CatchUpAsync(timeout.Token);
            var pushedBefore = receiver.Follower.Pushed;
            var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnApplied(FeedEnvelope _) => arrived.TrySetResult();
            receiver.Follower.Applied += OnApplied;
            try
            {
                var answer = await change(attempt);
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
                await arrived.Task.WaitAsync(TimeSpan.FromSeconds(3), timeout.Token);
                if (receiver.Follower.Pushed > pushedBefore)
                {
                    return;
                }
            }
            catch (TimeoutException)
            {
                // Not pushed (yet): the next round fetches it from the feed and tries again.
            }
            finally
            {
                receiver.Follower.Applied -= OnApplied;
            }
        }
    }
}
