namespace Hustle.Web.Tests.Messaging;

public sealed class ListMessagesTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task Messages_come_oldest_first_and_page_forward_with_after_and_back_with_before()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var (_, threadId) = await Chat.ThreadAsync(customer, hustler);
        var sent = new List<string>();
        for (var i = 1; i <= 5; i++)
        {
            // The clock stands still: the order comes from the thread's sequence, not from the time.
            sent.Add((await (i % 2 == 0 ? customer : hustler).SendAsync(threadId, $"message {i}")).Str("id"));
        }

        Assert.Equal(sent, (await customer.MessagesAsync(threadId)).Ids());
        Assert.Equal(sent[..2], (await customer.MessagesAsync(threadId, "?limit=2")).Ids());
        Assert.Equal(sent[2..4], (await customer.MessagesAsync(threadId, $"?after={sent[1]}&limit=2")).Ids());
        Assert.Equal(sent[4..], (await customer.MessagesAsync(threadId, $"?after={sent[3]}&limit=2")).Ids());
        Assert.Empty((await customer.MessagesAsync(threadId, $"?after={sent[4]}")).EnumerateArray());
        Assert.Equal(sent[1..3], (await hustler.MessagesAsync(threadId, $"?before={sent[3]}&limit=2")).Ids());
        Assert.Equal(new[] { "message 1", "message 2" }, (await hustler.MessagesAsync(threadId, "?limit=2")).EnumerateArray().Select(m => m.Str("body")));
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=201")]
    [InlineData("?after=msg_nope")]
    [InlineData("?before=msg_nope")]
    public async Task A_bad_cursor_or_limit_is_a_400(string query)
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var (_, threadId) = await Chat.ThreadAsync(customer, hustler);
        await hustler.SendAsync(threadId, "hello");

        await (await customer.Client.GetAsync($"/api/threads/{threadId}/messages{query}")).Problem(400, "validation_failed");
    }

    [Fact]
    public async Task A_message_id_from_another_thread_is_not_a_cursor_here()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var (_, first) = await Chat.ThreadAsync(customer, hustler);
        var (_, second) = await Chat.ThreadAsync(customer, hustler);
        var elsewhere = (await hustler.SendAsync(first, "in the first thread")).Str("id");

        await (await customer.Client.GetAsync($"/api/threads/{second}/messages?after={elsewhere}")).Problem(400, "validation_failed");
    }
}
