using Hustle.Domain.Jobs;
using Hustle.Web.Sync;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hustle.Web.Tests.Sync;

/// <summary>Hustle whose push queue holds two pushes and sends one at a time, through a hub whose sends the test holds.</summary>
public sealed class SmallPushQueueApp : TestApp
{
    public FeedPublisherTests.ScriptedHub Sends { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Hustle:Sync:PushQueueCapacity"] = "2",
        ["Hustle:Sync:PushesInFlight"] = "1",
    };

    protected override void ConfigureTestServices(IServiceCollection services)
    {
        services.RemoveAll<IHubContext<SyncHub, ISyncClient>>();
        services.AddSingleton<IHubContext<SyncHub, ISyncClient>>(Sends);
    }
}

public sealed class PushQueueTests(SmallPushQueueApp app) : IClassFixture<SmallPushQueueApp>
{
    [Fact]
    public async Task A_full_push_queue_drops_and_counts_new_pushes_while_the_request_answers_and_the_feed_has_every_event()
    {
        var customer = await app.CreateUserAsync("customer");
        var firstSendStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var socketsBack = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Sends.Behaviour[customer.Id] = _ =>
        {
            firstSendStarted.TrySetResult();
            return socketsBack.Task;
        };
        var metrics = app.Services.GetRequiredService<SyncMetrics>();
        var dropped = metrics.Snapshot().PushesDropped;

        // One push in flight (its send hangs), two wait in the queue, the next two find it full.
        var jobs = new List<string> { (await customer.PostFlatJobAsync(title: "Job 1")).Str("id") };
        await firstSendStarted.Task.WaitAsync(HubInbox.Patience);
        for (var i = 2; i <= 5; i++)
        {
            jobs.Add((await customer.PostFlatJobAsync(title: $"Job {i}")).Str("id"));
        }

        Assert.Equal(dropped + 2, metrics.Snapshot().PushesDropped);
        var created = (await customer.FeedAsync()).Where(e => e.Str("type") == EventTypes.JobCreated).Select(e => e.Str("jobId")).ToList();
        Assert.Equal(jobs, created);

        // Sends come back: the queued pushes go out, nothing more is dropped.
        app.Sends.Behaviour.TryRemove(customer.Id, out _);
        socketsBack.SetResult();
        using var timeout = new CancellationTokenSource(HubInbox.Patience);
        var delivered = new[] { await app.Sends.Delivered.Reader.ReadAsync(timeout.Token), await app.Sends.Delivered.Reader.ReadAsync(timeout.Token) };
        Assert.Equal(jobs[1..3], delivered.Select(e => e.JobId));
        Assert.Equal(dropped + 2, metrics.Snapshot().PushesDropped);
    }
}
