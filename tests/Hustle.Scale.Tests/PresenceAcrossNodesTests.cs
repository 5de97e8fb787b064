using Hustle.Web.Sync;
using Hustle.Web.Tests;
using Hustle.Web.Tests.Messaging;
using Hustle.Web.Tests.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hustle.Scale.Tests;

/// <summary>
/// Presence is per user, not per node: online with the first connection on any node, offline with the last one on
/// any node, and a node that dies without saying goodbye does not keep its users online for ever.
/// </summary>
public sealed class PresenceAcrossNodesTests : ClusterTest
{
    [Fact]
    public async Task A_user_connected_to_both_nodes_stays_online_until_the_last_connection_closes_and_counterparts_hear_it_once()
    {
        var (a, b) = (Cluster.A, Cluster.B);
        var customer = await a.CreateUserAsync("customer");
        var hustler = await b.CreateUserAsync("hustler");
        await Chat.ConversationAsync(customer, hustler);
        await using var customerLive = await HubInbox.ConnectAsync(a, customer);

        await using var phoneOnA = await HubInbox.ConnectAsync(a, hustler);
        Assert.Equal(new PresenceSignal(hustler.Id, true, null), await customerLive.NextAsync<PresenceSignal>());
        await using var laptopOnB = await HubInbox.ConnectAsync(b, hustler);
        Assert.True(await OnlineAsync(b.As(customer), hustler.Id));

        // The node A connection closes: the one on node B keeps the hustler online, and nobody is told otherwise.
        await phoneOnA.Connection.StopAsync();
        Assert.True(await OnlineAsync(a.As(customer), hustler.Id));
        Assert.True(await OnlineAsync(b.As(customer), hustler.Id));

        Cluster.Clock.Advance(TimeSpan.FromMinutes(1));
        var lastSeen = Cluster.Clock.GetUtcNow();
        await laptopOnB.Connection.StopAsync();
        Assert.Equal(new PresenceSignal(hustler.Id, false, lastSeen), await customerLive.NextAsync<PresenceSignal>());
        Assert.False(await OnlineAsync(a.As(customer), hustler.Id));
        await customerLive.AssertNothingArrivedAsync();
    }

    [Fact]
    public async Task Users_of_a_node_that_died_fall_offline_once_its_lease_runs_out()
    {
        var customer = await Cluster.A.CreateUserAsync("customer");
        var hustler = await Cluster.B.CreateUserAsync("hustler");
        await Chat.ConversationAsync(customer, hustler);

        // A third node, its store only: it records a connection, then dies (no disconnect, no renewals).
        var doomed = new BackplaneConnection(RedisBackplane.Options(Cluster.Redis, Cluster.A.Services.GetRequiredService<BackplaneConnection>().Prefix), Cluster.A.Services.GetRequiredService<BackplaneConnection>().Prefix, NullLogger<BackplaneConnection>.Instance);
        var deadNode = new RedisPresenceStore(doomed, Cluster.Clock, NullLogger<RedisPresenceStore>.Instance);
        Assert.True(await deadNode.ConnectAsync(hustler.Id, "connection-on-a-node-that-dies"));
        Assert.True(await OnlineAsync(Cluster.A.As(customer), hustler.Id));

        Cluster.Clock.Advance(RedisPresenceStore.Lease - TimeSpan.FromSeconds(1));
        Assert.True(await OnlineAsync(Cluster.B.As(customer), hustler.Id));
        Cluster.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.False(await OnlineAsync(Cluster.A.As(customer), hustler.Id));
        Assert.False(await OnlineAsync(Cluster.B.As(customer), hustler.Id));
        (await doomed.ConnectAsync()).Dispose();
    }

    private static async Task<bool> OnlineAsync(TestUser viewer, string counterpartId) =>
        (await viewer.ThreadsAsync()).EnumerateArray()
            .Select(t => t.GetProperty("counterpart"))
            .Single(c => c.Str("id") == counterpartId)
            .GetProperty("online").GetBoolean();
}
