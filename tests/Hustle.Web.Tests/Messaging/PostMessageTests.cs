using System.Net.Http.Json;
using System.Text.Json;
using Hustle.Domain.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Messaging;

public sealed class PostMessageTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task Script_and_html_in_a_body_are_stored_and_returned_unchanged_as_text()
    {
        const string body = "<script>alert(1)</script><b>x</b>";
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var (_, threadId) = await Chat.ThreadAsync(customer, hustler);

        var posted = await hustler.SendAsync(threadId, body);

        Assert.Equal(body, posted.Str("body"));
        Assert.Equal(body, Assert.Single((await customer.MessagesAsync(threadId)).EnumerateArray()).Str("body"));
        Assert.Equal(body, (await customer.ThreadAsync(threadId)).GetProperty("lastMessage").Str("body"));
        await using var db = app.Db();
        Assert.Equal(body, (await db.Messages.SingleAsync(m => m.ThreadId == threadId)).Body);
        var created = (await customer.FeedPageAsync()).GetProperty("events").EnumerateArray().Single(e => e.Str("type") == EventTypes.MessageCreated);
        Assert.Equal(body, created.GetProperty("data").GetProperty("message").Str("body"));
    }

    [Fact]
    public async Task A_message_answers_201_with_its_fields_and_keeps_its_whitespace()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var (_, threadId) = await Chat.ThreadAsync(customer, hustler);

        var posted = await customer.SendAsync(threadId, "  Hi,\n when can you come?  ");

        Assert.StartsWith("msg_", posted.Str("id"));
        Assert.Equal(threadId, posted.Str("threadId"));
        Assert.Equal(customer.Id, posted.Str("senderId"));
        Assert.Equal("  Hi,\n when can you come?  ", posted.Str("body"));
        Assert.Equal(TestApp.Start, posted.GetProperty("createdAt").GetDateTimeOffset());
        Assert.False(posted.GetProperty("readByOther").GetBoolean());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"body":null}""")]
    [InlineData("""{"body":""}""")]
    [InlineData("""{"body":"   \n\t "}""")]
    public async Task A_blank_body_is_refused_and_nothing_is_stored(string json)
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var (_, threadId) = await Chat.ThreadAsync(customer, hustler);

        var response = await hustler.Client.PostAsync($"/api/threads/{threadId}/messages", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        await response.Problem(400, "validation_failed");
        Assert.Empty((await hustler.MessagesAsync(threadId)).EnumerateArray());
    }

    [Fact]
    public async Task A_body_may_be_2000_characters_and_not_one_more()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var (_, threadId) = await Chat.ThreadAsync(customer, hustler);

        await hustler.SendAsync(threadId, new string('a', 2000));
        var tooLong = await hustler.Client.PostAsJsonAsync($"/api/threads/{threadId}/messages", new { body = new string('b', 2001) });

        var problem = await tooLong.Problem(400, "validation_failed");
        Assert.Contains("2000", problem.GetProperty("errors").GetProperty("body")[0].GetString());
        Assert.Single((await hustler.MessagesAsync(threadId)).EnumerateArray());
    }

    [Fact]
    public async Task Once_another_hustler_is_scheduled_the_thread_is_read_only_for_both_members()
    {
        var customer = await app.CreateUserAsync("customer");
        var chosen = await app.CreateUserAsync("chosen");
        var passedOver = await app.CreateUserAsync("passed");
        var jobId = (await customer.PostFlatJobAsync()).Str("id");
        var chosenOffer = await chosen.OfferAsync(jobId);
        await passedOver.OfferAsync(jobId);
        var passedThread = Assert.Single((await passedOver.ThreadsAsync()).EnumerateArray()).Str("id");
        var chosenThread = Assert.Single((await chosen.ThreadsAsync()).EnumerateArray()).Str("id");
        await passedOver.SendAsync(passedThread, "Still interested?");

        await customer.AcceptAsync(chosenOffer.Str("id"));

        var refused = await (await passedOver.PostAsync($"/api/threads/{passedThread}/messages", new { body = "Please?" })).Problem(409, "thread_read_only");
        Assert.Contains("another hustler", refused.Str("detail"));
        await (await customer.PostAsync($"/api/threads/{passedThread}/messages", new { body = "Sorry" })).Problem(409, "thread_read_only");
        var view = await passedOver.ThreadAsync(passedThread);
        Assert.True(view.GetProperty("readOnly").GetBoolean());
        Assert.Equal("ANOTHER_HUSTLER_CHOSEN", view.Str("readOnlyReason"));
        Assert.True((await customer.ThreadAsync(passedThread)).GetProperty("readOnly").GetBoolean());

        // What was said can still be read; the chosen hustler's thread stays open.
        Assert.Single((await passedOver.MessagesAsync(passedThread)).EnumerateArray());
        var open = await chosen.ThreadAsync(chosenThread);
        Assert.False(open.GetProperty("readOnly").GetBoolean());
        Assert.Equal(JsonValueKind.Null, open.GetProperty("readOnlyReason").ValueKind);
        await chosen.SendAsync(chosenThread, "See you Saturday");
    }

    [Fact]
    public async Task Unassigning_opens_the_passed_over_threads_again()
    {
        var customer = await app.CreateUserAsync("customer");
        var chosen = await app.CreateUserAsync("chosen");
        var passedOver = await app.CreateUserAsync("passed");
        var jobId = (await customer.PostFlatJobAsync()).Str("id");
        var chosenOffer = await chosen.OfferAsync(jobId);
        await passedOver.OfferAsync(jobId);
        var passedThread = Assert.Single((await passedOver.ThreadsAsync()).EnumerateArray()).Str("id");
        await customer.AcceptAsync(chosenOffer.Str("id"));

        await (await customer.PostAsync($"/api/jobs/{jobId}/unassign", new { reason = "Plans changed" })).Json();

        Assert.False((await passedOver.ThreadAsync(passedThread)).GetProperty("readOnly").GetBoolean());
        await passedOver.SendAsync(passedThread, "Is it open again?");
    }
}
