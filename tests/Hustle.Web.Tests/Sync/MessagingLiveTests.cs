using Hustle.Domain;
using System.Net;
using Hustle.Domain.Jobs;
using Hustle.Web.Sync;
using Hustle.Web.Tests.Messaging;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Hustle.Web.Tests.Sync;

/// <summary>Messages and read marks as the people in a thread (and the people outside it) see them over the hub.</summary>
public sealed class MessagingLiveTests(TestApp app) : IClassFixture<TestApp>
{
    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.ServerSentEvents)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task A_message_reaches_the_other_member_live_and_through_the_feed_and_the_senders_other_devices(HttpTransportType transport)
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        await using var customerLive = await HubInbox.ConnectAsync(app, customer, transport);
        await using var hustlerPhone = await HubInbox.ConnectAsync(app, hustler, transport);
        await using var hustlerLaptop = await HubInbox.ConnectAsync(app, hustler, transport);
        var (jobId, threadId) = await Chat.ThreadAsync(customer, hustler, customerLive);

        var sent = await hustler.SendAsync(threadId, "I can come at 5.");

        var live = await customerLive.NextEventAsync(EventTypes.MessageCreated);
        Assert.Equal(jobId, live.JobId);
        Assert.Equal(threadId, live.Data.Str("threadId"));
        Assert.Equal(sent.Str("id"), live.Data.Str("messageId"));
        Assert.Equal(hustler.Id, live.Data.Str("senderId"));
        var message = live.Data.GetProperty("message");
        Assert.Equal(sent.Str("id"), message.Str("id"));
        Assert.Equal("I can come at 5.", message.Str("body"));
        Assert.Equal(hustler.Id, message.Str("senderId"));

        var fromFeed = (await customer.FeedPageAsync(live.Seq - 1)).GetProperty("events")[0];
        Assert.Equal(live.Seq, fromFeed.GetProperty("seq").GetInt64());
        Assert.Equal(live.Id, fromFeed.Str("id"));
        Assert.Equal(EventTypes.MessageCreated, fromFeed.Str("type"));
        Assert.Equal("I can come at 5.", fromFeed.GetProperty("data").GetProperty("message").Str("body"));

        // The sender's devices get it too, so a conversation open on the laptop shows what the phone sent.
        foreach (var device in new[] { hustlerPhone, hustlerLaptop })
        {
            var own = await device.NextEventAsync(EventTypes.MessageCreated);
            Assert.Equal(sent.Str("id"), own.Data.Str("messageId"));
        }

        await customerLive.AssertNothingArrivedAsync();
    }

    [Fact]
    public async Task A_message_sent_while_the_other_member_was_offline_is_in_their_feed_when_they_come_back()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var (_, threadId) = await Chat.ThreadAsync(customer, hustler);
        var cursor = (await customer.FeedPageAsync()).GetProperty("lastSeq").GetInt64();

        var sent = await hustler.SendAsync(threadId, "Are you home?");

        var caughtUp = Assert.Single((await customer.FeedPageAsync(cursor)).GetProperty("events").EnumerateArray());
        Assert.Equal(EventTypes.MessageCreated, caughtUp.Str("type"));
        Assert.Equal(sent.Str("id"), caughtUp.GetProperty("data").Str("messageId"));
        Assert.Equal(1, (await customer.ThreadAsync(threadId)).GetProperty("unreadCount").GetInt32());
    }

    [Fact]
    public async Task A_non_member_receives_nothing_from_a_thread_and_cannot_send_typing_for_it()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var stranger = await app.CreateUserAsync("stranger");
        await using var customerLive = await HubInbox.ConnectAsync(app, customer);
        await using var strangerLive = await HubInbox.ConnectAsync(app, stranger);
        var (_, threadId) = await Chat.ThreadAsync(customer, hustler, customerLive);
        await hustler.SendAsync(threadId, "Hello");
        await customer.SendAsync(threadId, "Hi");
        await customerLive.NextEventAsync(EventTypes.MessageCreated);
        await customerLive.NextEventAsync(EventTypes.MessageCreated);

        // The hustler comes online: their counterpart in the conversation is told, the stranger is not.
        var hustlerLive = await HubInbox.ConnectAsync(app, hustler);
        await customerLive.NextAsync<PresenceSignal>(p => p.UserId == hustler.Id && p.Online);
        var sent = await hustler.SendAsync(threadId, "Secret gate code is 1234");
        await customerLive.NextEventAsync(EventTypes.MessageCreated);
        await hustlerLive.NextEventAsync(EventTypes.MessageCreated);
        await customer.MarkReadAsync(threadId, sent.Str("id"));
        await customerLive.NextEventAsync(EventTypes.MessagesRead);
        await hustlerLive.NextEventAsync(EventTypes.MessagesRead);
        await hustlerLive.Connection.InvokeAsync("Typing", threadId);
        await customerLive.NextAsync<TypingSignal>(t => t.ThreadId == threadId && t.UserId == hustler.Id);

        var refused = await Assert.ThrowsAsync<HubException>(() => strangerLive.Connection.InvokeAsync("Typing", threadId));
        var unknown = await Assert.ThrowsAsync<HubException>(() => strangerLive.Connection.InvokeAsync("Typing", "thr_00000000000000000000000000000000"));
        Assert.EndsWith("No such thread.", refused.Message);
        Assert.Equal(refused.Message, unknown.Message);

        await hustlerLive.DisposeAsync();
        await customerLive.NextAsync<PresenceSignal>(p => p.UserId == hustler.Id && !p.Online);

        await strangerLive.AssertNothingArrivedAsync();
        await customerLive.AssertNothingArrivedAsync();
        await (await stranger.Client.GetAsync($"/api/threads/{threadId}/messages")).Problem(404, "not_found");
    }

    [Fact]
    public async Task Unread_counts_and_read_receipts_stay_right_across_two_devices_of_the_same_user()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        await using var phone = await HubInbox.ConnectAsync(app, customer);
        await using var laptop = await HubInbox.ConnectAsync(app, customer);
        await using var hustlerLive = await HubInbox.ConnectAsync(app, hustler);
        var (_, threadId) = await Chat.ThreadAsync(customer, hustler, phone, laptop);
        var ids = new List<string>();
        foreach (var body in new[] { "one", "two", "three" })
        {
            ids.Add((await hustler.SendAsync(threadId, body)).Str("id"));
        }

        foreach (var device in new[] { phone, laptop, hustlerLive })
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(ids[i], (await device.NextEventAsync(EventTypes.MessageCreated)).Data.Str("messageId"));
            }
        }

        Assert.Equal(3, (await customer.ThreadAsync(threadId)).GetProperty("unreadCount").GetInt32());

        // The phone shows the first two: both devices learn the badge is now 1, the hustler gets the receipt.
        await customer.MarkReadAsync(threadId, ids[1]);
        foreach (var device in new[] { phone, laptop })
        {
            var read = await device.NextEventAsync(EventTypes.MessagesRead);
            Assert.Equal(ids[1], read.Data.Str("upToMessageId"));
            Assert.Equal(1, read.Data.GetProperty("readerUnreadCount").GetInt32());
        }

        var receipt = await hustlerLive.NextEventAsync(EventTypes.MessagesRead);
        Assert.Equal(customer.Id, receipt.Data.Str("readerId"));
        Assert.Equal(ids[1], receipt.Data.Str("upToMessageId"));
        Assert.Equal(new[] { true, true, false }, (await hustler.MessagesAsync(threadId)).EnumerateArray().Select(m => m.GetProperty("readByOther").GetBoolean()));
        Assert.Equal(1, (await customer.ThreadAsync(threadId)).GetProperty("unreadCount").GetInt32());

        // The laptop, behind, reports the first message read: nothing moves back and nobody is told.
        var stale = await customer.MarkReadAsync(threadId, ids[0]);
        Assert.Equal(1, stale.GetProperty("unreadCount").GetInt32());
        await phone.AssertNothingArrivedAsync();
        await laptop.AssertNothingArrivedAsync();
        await hustlerLive.AssertNothingArrivedAsync();

        // The customer's own reply is never unread for them; the laptop reads the rest.
        // It is also the customer's first word in the thread: from now on both share presence, told at once
        // (the message comes through the push queue, so the two arrive in either order).
        var reply = await customer.SendAsync(threadId, "Great, see you");
        foreach (var device in new[] { phone, laptop, hustlerLive })
        {
            var arrived = new[] { await device.NextAsync<object>(), await device.NextAsync<object>() };
            Assert.Equal(reply.Str("id"), arrived.OfType<FeedEnvelope>().Single(e => e.Type == EventTypes.MessageCreated).Data.Str("messageId"));
            Assert.True(Assert.Single(arrived.OfType<PresenceSignal>()).Online);
        }

        Assert.Equal(1, (await customer.ThreadAsync(threadId)).GetProperty("unreadCount").GetInt32());
        await customer.MarkReadAsync(threadId, ids[2]);
        foreach (var device in new[] { phone, laptop })
        {
            Assert.Equal(0, (await device.NextEventAsync(EventTypes.MessagesRead)).Data.GetProperty("readerUnreadCount").GetInt32());
        }

        Assert.Equal(ids[2], (await hustlerLive.NextEventAsync(EventTypes.MessagesRead)).Data.Str("upToMessageId"));
        Assert.Equal(0, (await customer.ThreadAsync(threadId)).GetProperty("unreadCount").GetInt32());
        var forHustler = await hustler.ThreadAsync(threadId);
        Assert.Equal(1, forHustler.GetProperty("unreadCount").GetInt32());
        Assert.False(forHustler.GetProperty("lastMessage").GetProperty("readByOther").GetBoolean());
        Assert.Equal(new[] { true, true, true, false }, (await hustler.MessagesAsync(threadId)).EnumerateArray().Select(m => m.GetProperty("readByOther").GetBoolean()));
        Assert.Equal(HttpStatusCode.OK, (await customer.Client.GetAsync("/api/threads")).StatusCode);
    }
}
