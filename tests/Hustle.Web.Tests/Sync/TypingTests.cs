using Hustle.Web.Sync;
using Hustle.Web.Tests.Messaging;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Hustle.Web.Tests.Sync;

public sealed class TypingTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task Typing_is_forwarded_to_the_other_member_at_most_once_per_2_seconds_and_never_echoed()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        await using var customerLive = await HubInbox.ConnectAsync(app, customer);
        await using var hustlerPhone = await HubInbox.ConnectAsync(app, hustler);
        await using var hustlerLaptop = await HubInbox.ConnectAsync(app, hustler);
        var (_, threadId) = await Chat.ThreadAsync(customer, hustler, customerLive);

        await hustlerPhone.Connection.InvokeAsync("Typing", threadId);
        await hustlerPhone.Connection.InvokeAsync("Typing", threadId);
        await hustlerLaptop.Connection.InvokeAsync("Typing", threadId);

        var signal = await customerLive.NextAsync<TypingSignal>();
        Assert.Equal(new TypingSignal(threadId, hustler.Id), signal);
        await customerLive.AssertNothingArrivedAsync();

        app.Clock.Advance(TimeSpan.FromMilliseconds(1999));
        await hustlerPhone.Connection.InvokeAsync("Typing", threadId);
        await customerLive.AssertNothingArrivedAsync();

        app.Clock.Advance(TimeSpan.FromMilliseconds(1));
        await hustlerLaptop.Connection.InvokeAsync("Typing", threadId);
        Assert.Equal(new TypingSignal(threadId, hustler.Id), await customerLive.NextAsync<TypingSignal>());
        await customerLive.AssertNothingArrivedAsync();

        // The other way round: every device of the hustler hears the customer; the customer hears no echo.
        await customerLive.Connection.InvokeAsync("Typing", threadId);
        Assert.Equal(new TypingSignal(threadId, customer.Id), await hustlerPhone.NextAsync<TypingSignal>());
        Assert.Equal(new TypingSignal(threadId, customer.Id), await hustlerLaptop.NextAsync<TypingSignal>());
        await customerLive.AssertNothingArrivedAsync();
        await hustlerPhone.AssertNothingArrivedAsync();
        await hustlerLaptop.AssertNothingArrivedAsync();
    }

    [Fact]
    public async Task The_throttle_is_per_thread_and_nothing_of_it_is_stored()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        await using var customerLive = await HubInbox.ConnectAsync(app, customer);
        await using var hustlerLive = await HubInbox.ConnectAsync(app, hustler);
        var (_, first) = await Chat.ThreadAsync(customer, hustler, customerLive);
        var (_, second) = await Chat.ThreadAsync(customer, hustler, customerLive);
        var feedBefore = (await customer.FeedPageAsync()).GetProperty("lastSeq").GetInt64();

        await hustlerLive.Connection.InvokeAsync("Typing", first);
        await hustlerLive.Connection.InvokeAsync("Typing", second);

        Assert.Equal(first, (await customerLive.NextAsync<TypingSignal>()).ThreadId);
        Assert.Equal(second, (await customerLive.NextAsync<TypingSignal>()).ThreadId);
        Assert.Equal(feedBefore, (await customer.FeedPageAsync()).GetProperty("lastSeq").GetInt64());
    }

    [Fact]
    public async Task Typing_in_a_read_only_thread_is_refused_and_not_forwarded()
    {
        var customer = await app.CreateUserAsync("customer");
        var chosen = await app.CreateUserAsync("chosen");
        var passedOver = await app.CreateUserAsync("passed");
        var jobId = (await customer.PostFlatJobAsync()).Str("id");
        var offer = await chosen.OfferAsync(jobId);
        await passedOver.OfferAsync(jobId);
        var threadId = Assert.Single((await passedOver.ThreadsAsync()).EnumerateArray()).Str("id");
        await customer.AcceptAsync(offer.Str("id"));
        await using var customerLive = await HubInbox.ConnectAsync(app, customer);
        await using var passedLive = await HubInbox.ConnectAsync(app, passedOver);

        var refused = await Assert.ThrowsAsync<HubException>(() => passedLive.Connection.InvokeAsync("Typing", threadId));

        Assert.EndsWith("read-only.", refused.Message);
        await customerLive.AssertNothingArrivedAsync();
    }
}
