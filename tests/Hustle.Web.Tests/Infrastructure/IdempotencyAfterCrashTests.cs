using System.Net;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Infrastructure;

/// <summary>
/// A request with an <c>Idempotency-Key</c> whose process dies after the change committed: the retry gets the first
/// answer (status, body, Location) and nothing runs twice, however long the client waits before retrying.
/// </summary>
public class IdempotencyAfterCrashTests(CrashingApp app) : IClassFixture<CrashingApp>
{
    private const string SinkJob = """{"title": "Fix the sink", "area": "Mission", "location": "1 Valencia St", "pricingType": "FLAT", "amount": 5000, "currency": "USD"}""";

    [Fact]
    public async Task A_job_post_killed_after_its_commit_replays_its_201_with_Location_and_never_creates_a_second_job()
    {
        var customer = await app.CreateUserAsync("customer");
        app.Crash.AfterNextCommit();

        await Assert.ThrowsAnyAsync<Exception>(() => customer.SendRawAsync(HttpMethod.Post, "/api/jobs", SinkJob, idempotencyKey: "killed-post"));
        var jobId = await OnlyJobOfAsync(customer);
        var afterCrash = await app.SnapshotAsync(jobId);
        var feedAfterCrash = (await customer.FeedAsync()).Count;

        var retry = await customer.SendRawAsync(HttpMethod.Post, "/api/jobs", SinkJob, idempotencyKey: "killed-post");
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var lateRetry = await customer.SendRawAsync(HttpMethod.Post, "/api/jobs", SinkJob, idempotencyKey: "killed-post");

        var view = await (await customer.Client.GetAsync($"/api/jobs/{jobId}")).Content.ReadAsStringAsync();
        foreach (var answer in new[] { retry, lateRetry })
        {
            Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
            Assert.Equal($"/api/jobs/{jobId}", answer.Headers.Location?.OriginalString);
            Assert.Equal(view, await answer.Content.ReadAsStringAsync());
        }

        Assert.Equal(jobId, await OnlyJobOfAsync(customer));
        Assert.Equal(afterCrash, await app.SnapshotAsync(jobId));
        Assert.Equal(feedAfterCrash, (await customer.FeedAsync()).Count);
    }

    [Fact]
    public async Task A_transition_killed_after_its_commit_replays_its_first_answer_not_invalid_transition()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var (jobId, _) = await Api.ScheduledFlatJobAsync(customer, hustler);
        var start = $$"""{"code": "{{(await customer.GetJobAsync(jobId)).Str("startCode")}}"}""";
        app.Crash.AfterNextCommit();

        await Assert.ThrowsAnyAsync<Exception>(() => hustler.SendRawAsync(HttpMethod.Post, $"/api/jobs/{jobId}/start", start, idempotencyKey: "killed-start"));
        var afterCrash = await app.SnapshotAsync(jobId);
        var feedAfterCrash = (await customer.FeedAsync()).Count;
        app.Clock.Advance(TimeSpan.FromMinutes(5));

        var retry = await hustler.SendRawAsync(HttpMethod.Post, $"/api/jobs/{jobId}/start", start, idempotencyKey: "killed-start");

        var answer = await retry.Json();
        Assert.Equal("IN_PROGRESS", answer.Str("status"));
        Assert.Equal(await (await hustler.Client.GetAsync($"/api/jobs/{jobId}")).Content.ReadAsStringAsync(), answer.GetRawText());
        Assert.Equal(afterCrash, await app.SnapshotAsync(jobId));
        Assert.Single(await hustler.HistoryAsync(jobId), h => h.Str("action") == "VERIFY_START_CODE");
        Assert.Equal(feedAfterCrash, (await customer.FeedAsync()).Count);
    }

    [Fact]
    public async Task A_request_killed_while_its_answer_was_going_out_replays_that_answer_at_once()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var jobId = (await customer.PostFlatJobAsync()).Str("id");
        var offerId = (await hustler.OfferAsync(jobId)).Str("id");
        app.Crash.WhileAnsweringNextRequest();

        await Assert.ThrowsAnyAsync<Exception>(() => hustler.SendRawAsync(HttpMethod.Post, $"/api/offers/{offerId}/withdraw", idempotencyKey: "killed-withdraw"));
        var afterCrash = await app.SnapshotAsync(jobId);

        var retry = await hustler.SendRawAsync(HttpMethod.Post, $"/api/offers/{offerId}/withdraw", idempotencyKey: "killed-withdraw");

        await retry.Json();
        Assert.Equal("true", Assert.Single(retry.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(afterCrash, await app.SnapshotAsync(jobId));
    }

    [Fact]
    public async Task A_message_killed_after_its_commit_is_posted_once_and_replays_its_201()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var jobId = (await customer.PostFlatJobAsync()).Str("id");
        var threadId = (await (await hustler.PostAsync($"/api/jobs/{jobId}/threads")).Json(HttpStatusCode.Created)).Str("id");
        app.Crash.AfterNextCommit();

        await Assert.ThrowsAnyAsync<Exception>(() => hustler.SendRawAsync(HttpMethod.Post, $"/api/threads/{threadId}/messages", """{"body": "When can I come?"}""", idempotencyKey: "killed-message"));
        var retry = await hustler.SendRawAsync(HttpMethod.Post, $"/api/threads/{threadId}/messages", """{"body": "When can I come?"}""", idempotencyKey: "killed-message");

        var message = await retry.Json(HttpStatusCode.Created);
        Assert.Equal($"/api/threads/{threadId}/messages", retry.Headers.Location?.OriginalString);
        await using var db = app.Db();
        Assert.Equal(message.Str("id"), (await db.Messages.SingleAsync(m => m.ThreadId == threadId)).Id);
    }

    [Fact]
    public async Task A_duplicate_sent_while_the_first_is_still_running_gets_409_and_the_first_answer_stands()
    {
        var customer = await app.CreateUserAsync("customer");
        var release = new TaskCompletionSource();
        var paused = app.Crash.PauseAfterNextCommit(release.Task);
        var first = customer.SendRawAsync(HttpMethod.Post, "/api/jobs", SinkJob, idempotencyKey: "slow-post");
        await paused.WaitAsync(TimeSpan.FromSeconds(30));

        var duplicate = await customer.SendRawAsync(HttpMethod.Post, "/api/jobs", SinkJob, idempotencyKey: "slow-post");
        release.SetResult();

        await duplicate.Problem(409, "concurrency_conflict");
        var answer = await (await first.WaitAsync(TimeSpan.FromSeconds(30))).Json(HttpStatusCode.Created);
        Assert.Equal(answer.Str("id"), await OnlyJobOfAsync(customer));
        var replay = await customer.SendRawAsync(HttpMethod.Post, "/api/jobs", SinkJob, idempotencyKey: "slow-post");
        Assert.Equal(answer.GetRawText(), (await replay.Json(HttpStatusCode.Created)).GetRawText());
    }

    private async Task<string> OnlyJobOfAsync(TestUser customer)
    {
        await using var db = app.Db();
        return (await db.Jobs.SingleAsync(j => j.CustomerId == customer.Id)).Id;
    }
}
