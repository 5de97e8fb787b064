using Hustle.Domain;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hustle.Domain.Jobs;
using Hustle.Domain.Messaging;
using Hustle.Web.Sync;
using Hustle.Web.Tests.Messaging;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Sync;

/// <summary>Presence is shared only with the other party of a live job or of a conversation both took part in.</summary>
public sealed class PresenceBoundaryTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task A_stranger_who_asked_and_got_no_answer_learns_nothing_of_the_customers_presence_nor_they_of_theirs()
    {
        var customer = await app.CreateUserAsync("customer");
        var stranger = await app.CreateUserAsync("stranger");
        var (_, threadId) = await Chat.ThreadAsync(customer, stranger);
        await stranger.SendAsync(threadId, "Are you home now?");
        await using var strangerLive = await HubInbox.ConnectAsync(app, stranger);
        await SettledAsync(strangerLive, threadId);

        var customerLive = await HubInbox.ConnectAsync(app, customer);
        await SettledAsync(customerLive, threadId);
        Assert.Equal(new TypingSignal(threadId, customer.Id), await strangerLive.NextAsync<TypingSignal>());
        await AssertCounterpartAsync(stranger, threadId, online: false, lastSeenAt: null);
        await AssertCounterpartAsync(customer, threadId, online: false, lastSeenAt: null);
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        await customerLive.Connection.StopAsync();
        await customerLive.DisposeAsync();

        await AssertCounterpartAsync(stranger, threadId, online: false, lastSeenAt: null);
        await strangerLive.AssertNothingArrivedAsync();
    }

    [Fact]
    public async Task Once_the_customer_answers_both_see_each_other_at_once_and_from_then_on()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var (_, threadId) = await Chat.ThreadAsync(customer, hustler);
        await hustler.SendAsync(threadId, "Are you home now?");
        await using var hustlerLive = await HubInbox.ConnectAsync(app, hustler);
        await SettledAsync(hustlerLive, threadId);
        await using var customerLive = await HubInbox.ConnectAsync(app, customer);
        await SettledAsync(customerLive, threadId);
        Assert.Equal(new TypingSignal(threadId, customer.Id), await hustlerLive.NextAsync<TypingSignal>());

        await customer.SendAsync(threadId, "Yes, come by.");

        // The message comes through the push queue, the presence straight away: in either order.
        await AssertBothArriveAsync(customerLive, new PresenceSignal(hustler.Id, true, null));
        await AssertBothArriveAsync(hustlerLive, new PresenceSignal(customer.Id, true, null));
        await AssertCounterpartAsync(hustler, threadId, online: true, lastSeenAt: null);
        await AssertCounterpartAsync(customer, threadId, online: true, lastSeenAt: null);

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var lastSeen = app.Clock.GetUtcNow();
        await customerLive.Connection.StopAsync();
        Assert.Equal(new PresenceSignal(customer.Id, false, lastSeen), await hustlerLive.NextAsync<PresenceSignal>());
        await AssertCounterpartAsync(hustler, threadId, online: false, lastSeenAt: lastSeen);
    }

    [Fact]
    public async Task The_customer_and_the_hustler_of_a_live_job_share_presence_without_a_word()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        await Api.ScheduledFlatJobAsync(customer, hustler);
        await using var customerLive = await HubInbox.ConnectAsync(app, customer);

        await using var hustlerLive = await HubInbox.ConnectAsync(app, hustler);

        Assert.Equal(new PresenceSignal(hustler.Id, true, null), await customerLive.NextAsync<PresenceSignal>());
    }

    [Fact]
    public async Task A_thread_on_a_job_given_to_another_hustler_is_read_only_for_the_outsider_and_stores_nothing()
    {
        var customer = await app.CreateUserAsync("customer");
        var chosen = await app.CreateUserAsync("chosen");
        var outsider = await app.CreateUserAsync("outsider");
        var jobId = (await customer.PostFlatJobAsync()).Str("id");
        var (_, threadId) = (jobId, (await (await outsider.PostAsync($"/api/jobs/{jobId}/threads")).Json(HttpStatusCode.Created)).Str("id"));
        await outsider.SendAsync(threadId, "Still free?");
        var offer = await chosen.OfferAsync(jobId);
        await customer.AcceptAsync(offer.Str("id"));

        await AssertReadOnlyAsync(customer, outsider, threadId, MessageThread.AnotherHustlerChosen);
    }

    [Fact]
    public async Task A_thread_on_a_cancelled_job_is_read_only_and_stores_nothing()
    {
        var customer = await app.CreateUserAsync("customer");
        var outsider = await app.CreateUserAsync("outsider");
        var (jobId, threadId) = await Chat.ConversationAsync(customer, outsider);
        await (await customer.PostAsync($"/api/jobs/{jobId}/cancel", new { reason = "Fixed it myself" })).Json();

        await AssertReadOnlyAsync(customer, outsider, threadId, MessageThread.JobClosed);
    }

    private async Task AssertReadOnlyAsync(TestUser customer, TestUser outsider, string threadId, string reason)
    {
        var view = await outsider.ThreadAsync(threadId);
        Assert.True(view.GetProperty("readOnly").GetBoolean());
        Assert.Equal(reason, view.Str("readOnlyReason"));
        long messages;
        await using (var db = app.Db())
        {
            messages = await db.Messages.CountAsync(m => m.ThreadId == threadId);
        }

        var customerFeed = (await customer.FeedPageAsync()).GetProperty("lastSeq").GetInt64();
        var outsiderFeed = (await outsider.FeedPageAsync()).GetProperty("lastSeq").GetInt64();

        var refused = await (await outsider.Client.PostAsJsonAsync($"/api/threads/{threadId}/messages", new { body = "Please?" })).Problem(409, "thread_read_only");
        Assert.Contains("read-only", refused.Str("detail"));
        await (await customer.Client.PostAsJsonAsync($"/api/threads/{threadId}/messages", new { body = "Sorry" })).Problem(409, "thread_read_only");
        await using var outsiderLive = await HubInbox.ConnectAsync(app, outsider);
        var typing = await Assert.ThrowsAsync<HubException>(() => outsiderLive.Connection.InvokeAsync("Typing", threadId));
        Assert.EndsWith("read-only.", typing.Message);

        await using (var db = app.Db())
        {
            Assert.Equal(messages, await db.Messages.CountAsync(m => m.ThreadId == threadId));
        }

        Assert.Equal(customerFeed, (await customer.FeedPageAsync()).GetProperty("lastSeq").GetInt64());
        Assert.Equal(outsiderFeed, (await outsider.FeedPageAsync()).GetProperty("lastSeq").GetInt64());
    }

    /// <summary>
    /// A hub call runs only after the hub handled the connect (the connection registered, presence recorded and
    /// told), so a typing call that returns proves it. The other member, if connected, receives that typing.
    /// </summary>
    private async Task SettledAsync(HubInbox device, string threadId)
    {
        app.Clock.Advance(TimeSpan.FromSeconds(3));
        await device.Connection.InvokeAsync("Typing", threadId);
    }

    private static async Task AssertBothArriveAsync(HubInbox inbox, PresenceSignal presence)
    {
        var arrived = new[] { await inbox.NextAsync<object>(), await inbox.NextAsync<object>() };
        Assert.Contains(presence, arrived);
        Assert.Single(arrived, a => a is FeedEnvelope { Type: EventTypes.MessageCreated });
    }

    private static async Task AssertCounterpartAsync(TestUser viewer, string threadId, bool online, DateTimeOffset? lastSeenAt)
    {
        var counterpart = (await viewer.ThreadAsync(threadId)).GetProperty("counterpart");
        Assert.Equal(online, counterpart.GetProperty("online").GetBoolean());
        Assert.Equal(lastSeenAt, counterpart.GetProperty("lastSeenAt").Deserialize<DateTimeOffset?>());
    }
}
