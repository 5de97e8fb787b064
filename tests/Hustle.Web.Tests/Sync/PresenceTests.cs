using System.Text.Json;
using Hustle.Web.Sync;
using Hustle.Web.Tests.Messaging;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Sync;

public sealed class PresenceTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task Presence_goes_online_with_the_first_of_three_connections_and_offline_only_with_the_last_and_only_counterparts_are_told()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var stranger = await app.CreateUserAsync("stranger");
        var (_, threadId) = await Chat.ConversationAsync(customer, hustler);
        await using var customerLive = await HubInbox.ConnectAsync(app, customer);
        await using var strangerLive = await HubInbox.ConnectAsync(app, stranger);

        await using var phone = await HubInbox.ConnectAsync(app, hustler);
        Assert.Equal(new PresenceSignal(hustler.Id, true, null), await customerLive.NextAsync<PresenceSignal>());
        await AssertCounterpartAsync(online: true, lastSeenAt: null);

        // More devices: no news. A typing signal from the new device proves its connect has been handled (a hub
        // runs a connection's calls only after its OnConnected) and is the next thing the customer must see.
        await using var laptop = await HubInbox.ConnectAsync(app, hustler);
        await AssertOnlyTypingFromAsync(laptop);
        await using var tablet = await HubInbox.ConnectAsync(app, hustler);
        await AssertOnlyTypingFromAsync(tablet);

        // Closing all but one: still online. (A client's stop returns once the server has run OnDisconnected.)
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await phone.Connection.StopAsync();
        await AssertOnlyTypingFromAsync(tablet);
        await laptop.Connection.StopAsync();
        await AssertOnlyTypingFromAsync(tablet);
        await AssertCounterpartAsync(online: true, lastSeenAt: null);

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var lastSeen = app.Clock.GetUtcNow();
        await tablet.Connection.StopAsync();
        Assert.Equal(new PresenceSignal(hustler.Id, false, lastSeen), await customerLive.NextAsync<PresenceSignal>());
        await AssertCounterpartAsync(online: false, lastSeenAt: lastSeen);
        await using (var db = app.Db())
        {
            Assert.Equal(lastSeen, await db.Users.Where(u => u.Id == hustler.Id).Select(u => u.LastSeenAt).SingleAsync());
        }

        await using var back = await HubInbox.ConnectAsync(app, hustler);
        Assert.Equal(new PresenceSignal(hustler.Id, true, null), await customerLive.NextAsync<PresenceSignal>());
        await AssertCounterpartAsync(online: true, lastSeenAt: null);

        await customerLive.AssertNothingArrivedAsync();
        await strangerLive.AssertNothingArrivedAsync();

        async Task AssertOnlyTypingFromAsync(HubInbox device)
        {
            app.Clock.Advance(TimeSpan.FromSeconds(2));
            await device.Connection.InvokeAsync("Typing", threadId);
            Assert.Equal(new TypingSignal(threadId, hustler.Id), await customerLive.NextAsync<TypingSignal>());
        }

        async Task AssertCounterpartAsync(bool online, DateTimeOffset? lastSeenAt)
        {
            var counterpart = (await customer.ThreadAsync(threadId)).GetProperty("counterpart");
            Assert.Equal(online, counterpart.GetProperty("online").GetBoolean());
            Assert.Equal(lastSeenAt, counterpart.GetProperty("lastSeenAt").Deserialize<DateTimeOffset?>());
        }
    }

    [Fact]
    public async Task A_user_with_no_threads_tells_nobody_and_hears_nothing_of_others()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var loner = await app.CreateUserAsync("loner");
        await Chat.ConversationAsync(customer, hustler);
        await using var customerLive = await HubInbox.ConnectAsync(app, customer);
        await using var lonerLive = await HubInbox.ConnectAsync(app, loner);

        var lonerSecond = await HubInbox.ConnectAsync(app, loner);
        await lonerSecond.DisposeAsync();
        var hustlerLive = await HubInbox.ConnectAsync(app, hustler);
        await customerLive.NextAsync<PresenceSignal>(p => p.UserId == hustler.Id && p.Online);
        await hustlerLive.DisposeAsync();
        await customerLive.NextAsync<PresenceSignal>(p => p.UserId == hustler.Id && !p.Online);

        await customerLive.AssertNothingArrivedAsync();
        await lonerLive.AssertNothingArrivedAsync();
    }
}
