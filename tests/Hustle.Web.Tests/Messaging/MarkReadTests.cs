using Hustle.Domain.Jobs;

namespace Hustle.Web.Tests.Messaging;

public sealed class MarkReadTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task Reading_moves_the_mark_forward_only_and_sets_read_receipts()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var (_, threadId) = await Chat.ThreadAsync(customer, hustler);
        var m1 = (await hustler.SendAsync(threadId, "one")).Str("id");
        var m2 = (await hustler.SendAsync(threadId, "two")).Str("id");
        var m3 = (await hustler.SendAsync(threadId, "three")).Str("id");

        var read = await customer.MarkReadAsync(threadId, m2);
        Assert.Equal(threadId, read.Str("threadId"));
        Assert.Equal(m2, read.Str("lastReadMessageId"));
        Assert.Equal(1, read.GetProperty("unreadCount").GetInt32());

        // An older mark (a slow device) changes nothing and tells nobody.
        var feedBefore = (await hustler.FeedPageAsync()).GetProperty("lastSeq").GetInt64();
        var stale = await customer.MarkReadAsync(threadId, m1);
        Assert.Equal(m2, stale.Str("lastReadMessageId"));
        Assert.Equal(1, stale.GetProperty("unreadCount").GetInt32());
        Assert.Equal(feedBefore, (await hustler.FeedPageAsync()).GetProperty("lastSeq").GetInt64());

        var receipts = (await hustler.MessagesAsync(threadId)).EnumerateArray().Select(m => (m.Str("id"), m.GetProperty("readByOther").GetBoolean()));
        Assert.Equal(new[] { (m1, true), (m2, true), (m3, false) }, receipts);
        Assert.Equal(1, (await customer.ThreadAsync(threadId)).GetProperty("unreadCount").GetInt32());
        Assert.Equal(m2, (await customer.ThreadAsync(threadId)).Str("lastReadMessageId"));
    }

    [Fact]
    public async Task A_read_mark_reaches_both_members_feeds_with_the_readers_unread_count()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var (jobId, threadId) = await Chat.ThreadAsync(customer, hustler);
        var m1 = (await hustler.SendAsync(threadId, "one")).Str("id");
        await hustler.SendAsync(threadId, "two");

        await customer.MarkReadAsync(threadId, m1);

        foreach (var member in new[] { customer, hustler })
        {
            var e = (await member.FeedPageAsync()).GetProperty("events").EnumerateArray().Single(e => e.Str("type") == EventTypes.MessagesRead);
            Assert.Equal(jobId, e.Str("jobId"));
            var data = e.GetProperty("data");
            Assert.Equal(threadId, data.Str("threadId"));
            Assert.Equal(customer.Id, data.Str("readerId"));
            Assert.Equal(m1, data.Str("upToMessageId"));
            Assert.Equal(1, data.GetProperty("readerUnreadCount").GetInt32());
        }
    }

    [Fact]
    public async Task Own_messages_never_count_as_unread_and_a_foreign_message_id_is_refused()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var (_, threadId) = await Chat.ThreadAsync(customer, hustler);
        var (_, otherThread) = await Chat.ThreadAsync(customer, hustler);
        await hustler.SendAsync(threadId, "mine");
        var foreign = (await hustler.SendAsync(otherThread, "elsewhere")).Str("id");

        Assert.Equal(0, (await hustler.ThreadAsync(threadId)).GetProperty("unreadCount").GetInt32());
        await (await customer.PostAsync($"/api/threads/{threadId}/read", new { upToMessageId = foreign })).Problem(400, "validation_failed");
        await (await customer.PostAsync($"/api/threads/{threadId}/read", new { })).Problem(400, "validation_failed");
        Assert.Equal(1, (await customer.ThreadAsync(threadId)).GetProperty("unreadCount").GetInt32());
    }
}
