using System.Net;

namespace Hustle.Web.Tests.Messaging;

public sealed class OpenThreadTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task A_question_opens_a_thread_once_and_asking_again_returns_the_same_thread()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var job = await customer.PostFlatJobAsync(title: "Paint the fence");
        var jobId = job.Str("id");

        var first = await (await hustler.PostAsync($"/api/jobs/{jobId}/threads")).Json(HttpStatusCode.Created);
        var again = await (await hustler.PostAsync($"/api/jobs/{jobId}/threads")).Json(HttpStatusCode.OK);

        Assert.Equal(first.Str("id"), again.Str("id"));
        Assert.StartsWith("thr_", first.Str("id"));
        Assert.Equal(jobId, first.Str("jobId"));
        Assert.Equal("Paint the fence", first.Str("jobTitle"));
        Assert.Equal(customer.Id, first.Str("customerId"));
        Assert.Equal(hustler.Id, first.Str("hustlerId"));
        Assert.Equal(customer.Id, first.GetProperty("counterpart").Str("id"));
        Assert.Equal(0, first.GetProperty("unreadCount").GetInt32());
        Assert.False(first.GetProperty("readOnly").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, first.GetProperty("lastMessage").ValueKind);

        var customersView = await customer.ThreadAsync(first.Str("id"));
        Assert.Equal(hustler.Id, customersView.GetProperty("counterpart").Str("id"));
        await using var db = app.Db();
        Assert.Equal(1, db.MessageThreads.Count(t => t.JobId == jobId));
    }

    [Fact]
    public async Task An_offer_opens_the_thread_and_a_later_question_lands_in_it()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var jobId = (await customer.PostFlatJobAsync()).Str("id");

        await hustler.OfferAsync(jobId);
        var threads = await hustler.ThreadsAsync();
        var thread = Assert.Single(threads.EnumerateArray());
        Assert.Equal(jobId, thread.Str("jobId"));

        var asked = await (await hustler.PostAsync($"/api/jobs/{jobId}/threads")).Json(HttpStatusCode.OK);
        Assert.Equal(thread.Str("id"), asked.Str("id"));
    }

    [Fact]
    public async Task An_offer_after_a_question_keeps_the_one_thread()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var (jobId, threadId) = await Chat.ThreadAsync(customer, hustler);

        await hustler.OfferAsync(jobId);

        Assert.Equal(new[] { threadId }, (await hustler.ThreadsAsync()).Ids());
        Assert.Equal(new[] { threadId }, (await customer.ThreadsAsync()).Ids());
    }

    [Fact]
    public async Task The_customer_cannot_open_a_thread_on_their_own_job()
    {
        var customer = await app.CreateUserAsync("customer");
        var jobId = (await customer.PostFlatJobAsync()).Str("id");

        await (await customer.PostAsync($"/api/jobs/{jobId}/threads")).Problem(409, "thread_not_allowed");
        Assert.Empty((await customer.ThreadsAsync()).EnumerateArray());
    }

    [Fact]
    public async Task Nobody_new_can_open_a_thread_on_a_scheduled_job_or_an_unknown_one()
    {
        var customer = await app.CreateUserAsync("customer");
        var chosen = await app.CreateUserAsync("chosen");
        var stranger = await app.CreateUserAsync("stranger");
        var (jobId, _) = await Api.ScheduledFlatJobAsync(customer, chosen);

        await (await stranger.PostAsync($"/api/jobs/{jobId}/threads")).Problem(404, "not_found");
        await (await stranger.PostAsync("/api/jobs/job_00000000000000000000000000000000/threads")).Problem(404, "not_found");

        // The chosen hustler's thread (opened by the offer) is still theirs to reach.
        await (await chosen.PostAsync($"/api/jobs/{jobId}/threads")).Json(HttpStatusCode.OK);
    }
}
