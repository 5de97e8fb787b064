using Hustle.Web.Sync;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace Hustle.Web.Tests.Sync;

/// <summary>
/// On one node a push for a user is sent to that user's connections as the node's index of users knows them (not by
/// comparing the user of every connection): connections that come and go are followed, and nobody else gets it.
/// </summary>
public sealed class UserRoutingTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public void One_node_sends_to_users_through_the_user_index() =>
        Assert.IsType<UserIndexedHubLifetimeManager<SyncHub>>(app.Services.GetRequiredService<HubLifetimeManager<SyncHub>>());

    [Fact]
    public async Task Every_connection_of_the_user_gets_the_push_as_connections_come_and_go_and_nobody_else_does()
    {
        var alice = await app.CreateUserAsync("alice");
        var bob = await app.CreateUserAsync("bob");
        await using var bobInbox = await HubInbox.ConnectAsync(app, bob);
        var phone = await HubInbox.ConnectAsync(app, alice);
        await using var laptop = await HubInbox.ConnectAsync(app, alice, HttpTransportType.ServerSentEvents);

        var first = (await alice.PostFlatJobAsync(title: "first")).Str("id");
        Assert.Equal(first, (await phone.NextEventAsync("JOB_CREATED")).JobId);
        Assert.Equal(first, (await laptop.NextEventAsync("JOB_CREATED")).JobId);

        await phone.DisposeAsync();
        var second = (await alice.PostFlatJobAsync(title: "second")).Str("id");
        Assert.Equal(second, (await laptop.NextEventAsync("JOB_CREATED")).JobId);

        await laptop.Connection.StopAsync();
        await using var tablet = await HubInbox.ConnectAsync(app, alice, HttpTransportType.LongPolling);
        var third = (await alice.PostFlatJobAsync(title: "third")).Str("id");
        Assert.Equal(third, (await tablet.NextEventAsync("JOB_CREATED")).JobId);

        await bobInbox.AssertNothingArrivedAsync();
    }
}
