using System.Net;
using Hustle.Client;
using Hustle.Web.Sync;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hustle.Web.Tests.Sync;

/// <summary>
/// The publisher double of these tests: it passes pushes to the real SignalR publisher unless told to drop them,
/// the way a dying node or a dropped socket loses a push after the commit.
/// </summary>
public sealed class LossyPublisher(SignalRFeedPublisher real) : IFeedPublisher
{
    /// <summary>Pushes for which this returns true are lost.</summary>
    public Func<FeedPush, bool> Drop { get; set; } = _ => false;

    public void Publish(IReadOnlyList<FeedPush> pushes) => real.Publish([.. pushes.Where(p => !Drop(p))]);
}

public sealed class LossyPushApp : TestApp
{
    public LossyPublisher Publisher => Services.GetRequiredService<LossyPublisher>();

    protected override void ConfigureTestServices(IServiceCollection services)
    {
        services.AddSingleton<LossyPublisher>();
        services.RemoveAll<IFeedPublisher>();
        services.AddSingleton<IFeedPublisher>(sp => sp.GetRequiredService<LossyPublisher>());
    }
}

/// <summary>Push is a hint and the feed is the truth: whatever a connection misses, the feed gives back, once and in order.</summary>
public sealed class FeedCatchUpTests(LossyPushApp app) : IClassFixture<LossyPushApp>
{
    [Fact]
    public async Task A_client_offline_during_five_transitions_catches_up_on_reconnect_with_contiguous_seqs_and_nothing_twice()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustlerUser = await app.CreateUserAsync("hustler");
        await using var hustler = await LiveUser.ConnectAsync(app, hustlerUser, HttpTransportType.WebSockets);
        var (jobId, _) = await Api.ScheduledFlatJobAsync(customer, hustlerUser);
        await hustler.NextAsync("OFFER_RECEIVED");
        await hustler.NextAsync("JOB_ASSIGNED");

        await hustler.Connection.StopAsync();
        await (await customer.PostAsync($"/api/jobs/{jobId}/unassign", new { reason = "found someone closer" })).Json();
        var offer = await hustlerUser.OfferAsync(jobId);
        await customer.AcceptAsync(offer.Str("id"));
        await Api.StartAsync(customer, hustlerUser, jobId);
        await Api.CompleteAsync(customer, hustlerUser, jobId);

        await hustler.Connection.StartAsync();
        await hustler.Follower.CatchUpAsync();

        string[] missed = ["JOB_UNASSIGNED", "OFFER_RECEIVED", "JOB_ASSIGNED", "JOB_STARTED", "JOB_COMPLETED", "PAYMENT_REQUESTED"];
        foreach (var type in missed)
        {
            await hustler.NextAsync(type);
        }

        hustler.AssertNothingMore();
        var seqs = hustler.Follower.AppliedEvents.Select(e => e.Seq).ToList();
        // Applied once each, in order. A push committed just before the reconnect may still be queued when the catch-up
        // has applied its event: it then reaches the new connection and the follower drops it by seq, as designed.
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), seqs);
        Assert.Equal(seqs.Count, hustler.Follower.AppliedEvents.DistinctBy(e => e.Id).Count());
    }

    [Fact]
    public async Task A_push_that_skips_a_seq_is_detected_as_a_gap_and_filled_from_the_feed()
    {
        var user = await app.CreateUserAsync("gappy");
        await using var live = await LiveUser.ConnectAsync(app, user, HttpTransportType.WebSockets);
        await user.PostFlatJobAsync(title: "one");
        await live.NextAsync("JOB_CREATED");

        app.Publisher.Drop = p => p.UserId == user.Id && p.Envelope.Seq == 2;
        try
        {
            await user.PostFlatJobAsync(title: "two");
            await user.PostFlatJobAsync(title: "three");

            var two = await live.NextAsync("JOB_CREATED");
            var three = await live.NextAsync("JOB_CREATED");
            Assert.Equal((2, 3), (two.Seq, three.Seq));
            Assert.Equal(1, live.Follower.GapsDetected);
            Assert.Equal(1, live.Follower.Pushed);
        }
        finally
        {
            app.Publisher.Drop = _ => false;
        }

        live.AssertNothingMore();
    }

    [Fact]
    public async Task A_pushed_event_already_applied_is_dropped_as_a_duplicate()
    {
        var user = await app.CreateUserAsync("dupe");
        await using var live = await LiveUser.ConnectAsync(app, user, HttpTransportType.LongPolling);
        await user.PostFlatJobAsync();
        var created = await live.NextAsync("JOB_CREATED");

        await live.Follower.OnPushAsync(created);
        await live.Follower.CatchUpAsync();

        Assert.Equal(1, live.Follower.DuplicatesDropped);
        Assert.Single(live.Follower.AppliedEvents);
        live.AssertNothingMore();
    }

    [Fact]
    public async Task When_every_push_is_lost_each_event_is_still_in_the_feed_and_the_next_poll_brings_it()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        await using var customerLive = await LiveUser.ConnectAsync(app, customer, HttpTransportType.WebSockets);
        var lost = 0;
        app.Publisher.Drop = p =>
        {
            var mine = p.UserId == customer.Id || p.UserId == hustler.Id;
            if (mine)
            {
                Interlocked.Increment(ref lost);
            }

            return mine;
        };
        try
        {
            var (jobId, _) = await Api.ScheduledFlatJobAsync(customer, hustler);
            await Api.StartAsync(customer, hustler, jobId);
        }
        finally
        {
            app.Publisher.Drop = _ => false;
        }

        Assert.Equal(7, lost);
        Assert.Empty(customerLive.Follower.AppliedEvents);

        await customerLive.Follower.CatchUpAsync();
        Assert.Equal(["JOB_CREATED", "OFFER_RECEIVED", "JOB_ASSIGNED", "JOB_STARTED"], customerLive.Follower.AppliedEvents.Select(e => e.Type));
        var hustlerFeed = new FeedFollower(hustler.Client);
        await hustlerFeed.CatchUpAsync();
        Assert.Equal(["OFFER_RECEIVED", "JOB_ASSIGNED", "JOB_STARTED"], hustlerFeed.AppliedEvents.Select(e => e.Type));
    }

    [Fact]
    public async Task Fifty_parallel_transitions_on_different_jobs_leave_the_customer_feed_gap_free()
    {
        var customer = await app.CreateUserAsync("busy");
        var jobs = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            jobs.Add((await customer.PostFlatJobAsync(title: $"job {i}")).Str("id"));
        }

        var answers = await Task.WhenAll(jobs.Select(id => customer.PostAsync($"/api/jobs/{id}/cancel")));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));

        var feed = new FeedFollower(customer.Client);
        await feed.CatchUpAsync();
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), feed.AppliedEvents.Select(e => e.Seq));
        Assert.Equal(50, feed.AppliedEvents.Count(e => e.Type == "JOB_CANCELLED"));
        Assert.Equal(jobs.Order(), feed.AppliedEvents.Where(e => e.Type == "JOB_CANCELLED").Select(e => e.JobId!).Order());
    }

    [Fact]
    public async Task A_cursor_older_than_the_retention_gets_reset_required_and_mine_gives_a_fresh_cursor()
    {
        var user = await app.CreateUserAsync("returning");
        for (var i = 0; i < 3; i++)
        {
            await user.PostFlatJobAsync(title: $"old {i}");
        }

        app.Clock.Advance(TimeSpan.FromDays(31));
        await app.Sweeper.RunOnceAsync(CancellationToken.None);

        var stale = await (await user.Client.GetAsync("/api/feed?after=1")).Json();
        Assert.True(stale.GetProperty("resetRequired").GetBoolean());
        Assert.Empty(stale.GetProperty("events").EnumerateArray());
        var fromStart = await (await user.Client.GetAsync("/api/feed?after=0")).Json();
        Assert.True(fromStart.GetProperty("resetRequired").GetBoolean());

        // The sweep that trimmed the feed also expired the three jobs (seq 4-6, recent, so kept).
        var mine = await (await user.Client.GetAsync("/api/jobs/mine")).Json();
        Assert.Equal(6, mine.GetProperty("cursor").GetInt64());
        Assert.All(mine.GetProperty("jobs").EnumerateArray(), j => Assert.Equal("EXPIRED", j.Str("status")));
        var current = await (await user.Client.GetAsync("/api/feed?after=6")).Json();
        Assert.False(current.GetProperty("resetRequired").GetBoolean());
        Assert.Equal(6, current.GetProperty("lastSeq").GetInt64());
        await using var db = app.Db();
        Assert.Equal([4L, 5L, 6L], db.FeedEvents.Where(e => e.UserId == user.Id).Select(e => e.Seq).OrderBy(s => s).ToList());
    }

    [Fact]
    public async Task A_poll_with_nothing_new_answers_an_empty_page_at_the_same_cursor()
    {
        var user = await app.CreateUserAsync("idle");
        await user.PostFlatJobAsync();

        var page = await (await user.Client.GetAsync("/api/feed?after=1")).Json();

        Assert.Empty(page.GetProperty("events").EnumerateArray());
        Assert.Equal(1, page.GetProperty("lastSeq").GetInt64());
        Assert.False(page.GetProperty("resetRequired").GetBoolean());
    }
}
