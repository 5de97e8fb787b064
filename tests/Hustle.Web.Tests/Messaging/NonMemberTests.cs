namespace Hustle.Web.Tests.Messaging;

/// <summary>Someone outside a thread learns nothing about it: every call answers as if it did not exist.</summary>
public sealed class NonMemberTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task A_non_member_can_neither_read_post_nor_mark_a_thread_and_changes_nothing()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var stranger = await app.CreateUserAsync("stranger");
        var (_, threadId) = await Chat.ThreadAsync(customer, hustler);
        var said = (await hustler.SendAsync(threadId, "private")).Str("id");

        await (await stranger.Client.GetAsync($"/api/threads/{threadId}/messages")).Problem(404, "not_found");
        await (await stranger.PostAsync($"/api/threads/{threadId}/messages", new { body = "let me in" })).Problem(404, "not_found");
        await (await stranger.PostAsync($"/api/threads/{threadId}/read", new { upToMessageId = said })).Problem(404, "not_found");

        // An unknown thread answers exactly the same.
        await (await stranger.Client.GetAsync("/api/threads/thr_00000000000000000000000000000000/messages")).Problem(404, "not_found");

        Assert.Empty((await stranger.ThreadsAsync()).EnumerateArray());
        Assert.Single((await customer.MessagesAsync(threadId)).EnumerateArray());
        Assert.Equal(1, (await customer.ThreadAsync(threadId)).GetProperty("unreadCount").GetInt32());
        Assert.Empty((await stranger.FeedPageAsync()).GetProperty("events").EnumerateArray());
    }
}
