using System.Net.Http.Json;
using System.Text.Json;

namespace Hustle.Web.Tests.Messaging;

public sealed class ListThreadsTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task Each_member_sees_the_thread_with_the_other_as_counterpart_and_their_own_unread_count()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        await (await hustler.Client.PutAsync("/api/me", JsonContent.Create(new { displayName = "Hana the Handy" }))).Json();
        var (jobId, threadId) = await Chat.ThreadAsync(customer, hustler);
        await hustler.SendAsync(threadId, "Is the sink still leaking?");
        var last = await hustler.SendAsync(threadId, "I have the parts.");

        var forCustomer = await customer.ThreadAsync(threadId);
        Assert.Equal(jobId, forCustomer.Str("jobId"));
        Assert.Equal(2, forCustomer.GetProperty("unreadCount").GetInt32());
        Assert.Equal(last.Str("id"), forCustomer.GetProperty("lastMessage").Str("id"));
        Assert.Equal("I have the parts.", forCustomer.GetProperty("lastMessage").Str("body"));
        Assert.Equal(JsonValueKind.Null, forCustomer.GetProperty("lastReadMessageId").ValueKind);
        var counterpart = forCustomer.GetProperty("counterpart");
        Assert.Equal(hustler.Id, counterpart.Str("id"));
        Assert.Equal("Hana the Handy", counterpart.Str("displayName"));
        Assert.False(counterpart.GetProperty("online").GetBoolean());
        Assert.Equal(JsonValueKind.Null, counterpart.GetProperty("lastSeenAt").ValueKind);

        var forHustler = await hustler.ThreadAsync(threadId);
        Assert.Equal(0, forHustler.GetProperty("unreadCount").GetInt32());
        Assert.Equal(customer.Id, forHustler.GetProperty("counterpart").Str("id"));
        Assert.Equal("Customer", forHustler.GetProperty("counterpart").Str("displayName"));
    }

    [Fact]
    public async Task Threads_come_newest_activity_first_and_strangers_see_none()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var stranger = await app.CreateUserAsync("stranger");
        var (_, older) = await Chat.ThreadAsync(customer, hustler);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var (_, newer) = await Chat.ThreadAsync(customer, hustler);
        Assert.Equal(new[] { newer, older }, (await customer.ThreadsAsync()).Ids());

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await hustler.SendAsync(older, "Back to the first job");

        Assert.Equal(new[] { older, newer }, (await customer.ThreadsAsync()).Ids());
        Assert.Empty((await stranger.ThreadsAsync()).EnumerateArray());
    }
}
