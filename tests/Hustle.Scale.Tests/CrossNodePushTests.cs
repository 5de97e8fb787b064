using Hustle.Web.Tests;
using Hustle.Web.Tests.Sync;
using Microsoft.AspNetCore.Http.Connections;

namespace Hustle.Scale.Tests;

/// <summary>Any node serves any client: a change made through one node is pushed to people connected to the other.</summary>
public sealed class CrossNodePushTests : ClusterTest
{
    [Fact]
    public async Task Each_step_made_through_one_node_is_pushed_to_the_other_party_connected_to_the_other_node()
    {
        var (a, b) = (Cluster.A, Cluster.B);
        var customerOnB = b.As(await a.CreateUserAsync("customer"));
        var hustlerOnA = a.As(await b.CreateUserAsync("hustler"));
        await using var customer = await LiveUser.ConnectAsync(b, customerOnB, HttpTransportType.WebSockets);
        await using var hustler = await LiveUser.ConnectAsync(a, hustlerOnA, HttpTransportType.ServerSentEvents);

        // The customer acts through node A, the hustler through node B: every push crosses the backplane.
        var customerViaA = a.As(customerOnB);
        var hustlerViaB = b.As(hustlerOnA);

        var job = await customerViaA.PostFlatJobAsync(amount: 6000);
        var jobId = job.Str("id");
        Assert.Equal(jobId, (await customer.NextAsync("JOB_CREATED")).JobId);

        var offer = await hustlerViaB.OfferAsync(jobId);
        await customer.NextAsync("OFFER_RECEIVED");
        await hustler.NextAsync("OFFER_RECEIVED");

        await customerViaA.AcceptAsync(offer.Str("id"));
        await customer.NextAsync("JOB_ASSIGNED");
        await hustler.NextAsync("JOB_ASSIGNED");

        await Api.StartAsync(customerViaA, hustlerViaB, jobId);
        await customer.NextAsync("JOB_STARTED");
        await hustler.NextAsync("JOB_STARTED");

        foreach (var side in new[] { customer, hustler })
        {
            // Arrived by push in order: no gap had to be filled from the feed, nothing came twice.
            Assert.Equal(0, side.Follower.GapsDetected);
            Assert.Equal(0, side.Follower.DuplicatesDropped);
            Assert.Equal(side.Follower.AppliedEvents.Count, side.Follower.Pushed);
        }

        customer.AssertNothingMore();
        hustler.AssertNothingMore();
    }

    [Fact]
    public async Task A_token_issued_by_one_node_is_accepted_by_the_other()
    {
        var user = await Cluster.A.CreateUserAsync("traveller");
        var me = await (await Cluster.B.As(user).Client.GetAsync("/api/me")).Json();
        Assert.Equal(user.Id, me.Str("id"));
    }
}
