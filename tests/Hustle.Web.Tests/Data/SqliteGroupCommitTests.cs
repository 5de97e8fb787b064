using System.Data;
using System.Net;
using Hustle.Domain.Jobs;
using Hustle.Web.Data;
using Hustle.Web.Tests.Sync;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hustle.Web.Tests.Data;

/// <summary>
/// Group commit on SQLite: changes queued together share one transaction and one sync, each succeeds or fails on its
/// own inside it, and every answer and push waits for the batch's commit. Each test holds the writer with a change of
/// its own until the requests it sent are queued behind it, so that they land in one batch.
/// </summary>
public sealed class SqliteGroupCommitTests(GroupCommitApp app) : IClassFixture<GroupCommitApp>
{
    [Fact]
    public async Task In_one_batch_a_refused_and_a_conflicting_transition_change_nothing_and_the_others_commit()
    {
        var started = await ScheduledJobAsync();
        var raced = await ScheduledJobAsync();
        var refused = await ScheduledJobAsync();
        var refusedBefore = await app.SnapshotAsync(refused.JobId);
        var refusedFeed = await refused.Customer.FeedAsync();
        using var watch = new GroupCommitWatch(app);

        await using var holding = app.Db();
        var hold = await app.GroupCommit.BeginAsync(holding, CancellationToken.None);
        var start = started.StartAsync();
        var racers = new[] { raced.StartAsync(), raced.StartAsync() };
        var refusal = refused.Hustler.SendRawAsync(HttpMethod.Post, $"/api/jobs/{refused.JobId}/request-payment", "{}", idempotencyKey: "refused-in-a-batch");
        await watch.WaitingAsync(4);
        await hold.CommitAsync();

        Assert.Equal("IN_PROGRESS", (await (await start).Json()).Str("status"));
        var raceAnswers = await Task.WhenAll(racers);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], raceAnswers.Select(a => a.StatusCode).Order());
        await raceAnswers.Single(a => a.StatusCode == HttpStatusCode.Conflict).Problem(409, "concurrency_conflict");
        Assert.Equal(JobStatus.InProgress, await app.StatusAsync(raced.JobId));
        Assert.Single(await raced.Hustler.HistoryAsync(raced.JobId), h => h.Str("action") == "VERIFY_START_CODE");
        Assert.Single(await raced.Customer.EventsAsync(raced.JobId, EventTypes.JobStarted));

        await (await refusal).Problem(409, "invalid_transition");
        Assert.Equal(refusedBefore, await app.SnapshotAsync(refused.JobId));
        Assert.Equal(refusedFeed.Count, (await refused.Customer.FeedAsync()).Count);
        Assert.Equal([5], watch.Batches);

        // The refusal was kept with its key inside the batch: a retry replays it.
        var replay = await refused.Hustler.SendRawAsync(HttpMethod.Post, $"/api/jobs/{refused.JobId}/request-payment", "{}", idempotencyKey: "refused-in-a-batch");
        await replay.Problem(409, "invalid_transition");
    }

    [Fact]
    public async Task A_batch_whose_commit_fails_applies_none_of_it_and_every_change_in_it_gets_an_error_then_retries_apply_once()
    {
        var first = await ScheduledJobAsync();
        var second = await ScheduledJobAsync();
        var before = (await app.SnapshotAsync(first.JobId), await app.SnapshotAsync(second.JobId));
        using var watch = new GroupCommitWatch(app);

        await using var holding = app.Db();
        await using var breaking = app.Db();
        var hold = await app.GroupCommit.BeginAsync(holding, CancellationToken.None);
        holding.UserClaims.Add(new IdentityUserClaim<string> { UserId = first.Customer.Id, ClaimType = "batch", ClaimValue = "held" });
        await holding.SaveChangesAsync();
        var starts = new[] { first.StartAsync("cut-off-first"), second.StartAsync("cut-off-second") };
        await watch.WaitingAsync(2);
        var breaker = app.GroupCommit.BeginAsync(breaking, CancellationToken.None);
        await watch.WaitingAsync(3);
        var held = hold.CommitAsync();

        // The batch's last change leaves a foreign key dangling, which SQLite checks only at COMMIT: the commit fails.
        await using (var last = await breaker)
        {
            await breaking.Database.ExecuteSqlRawAsync("PRAGMA defer_foreign_keys = ON;");
            breaking.UserClaims.Add(new IdentityUserClaim<string> { UserId = "nobody", ClaimType = "batch", ClaimValue = "dangling" });
            await breaking.SaveChangesAsync();
            await Assert.ThrowsAsync<SqliteBatchFailedException>(() => last.CommitAsync());
        }

        await Assert.ThrowsAsync<SqliteBatchFailedException>(() => held);
        Assert.All(await Task.WhenAll(starts), answer => Assert.Equal(HttpStatusCode.InternalServerError, answer.StatusCode));
        Assert.Equal(before, (await app.SnapshotAsync(first.JobId), await app.SnapshotAsync(second.JobId)));
        await using (var db = app.Db())
        {
            Assert.False(await db.UserClaims.AnyAsync(c => c.ClaimType == "batch"));
        }

        Assert.Equal([4], watch.Batches);

        // No answer was kept for the keys: retried, each change runs now, once.
        foreach (var (job, key) in new[] { (first, "cut-off-first"), (second, "cut-off-second") })
        {
            Assert.Equal("IN_PROGRESS", (await (await job.StartAsync(key)).Json()).Str("status"));
            Assert.Equal("IN_PROGRESS", (await (await job.StartAsync(key)).Json()).Str("status"));
            Assert.Single(await job.Hustler.HistoryAsync(job.JobId), h => h.Str("action") == "VERIFY_START_CODE");
        }
    }

    [Fact]
    public async Task A_transition_is_answered_and_pushed_only_once_its_batch_has_committed()
    {
        var job = await ScheduledJobAsync();
        await using var inbox = await HubInbox.ConnectAsync(app, job.Customer);
        using var watch = new GroupCommitWatch(app);

        await using var holding = app.Db();
        await using var trailing = app.Db();
        var hold = await app.GroupCommit.BeginAsync(holding, CancellationToken.None);
        var start = job.StartAsync();
        await watch.WaitingAsync(1);
        var trailer = app.GroupCommit.BeginAsync(trailing, CancellationToken.None);
        await watch.WaitingAsync(2);
        var held = hold.CommitAsync();

        // The writer ran the start, then gave this test the batch's last seat: the start is written, not committed.
        await using (var last = await trailer)
        {
            Assert.Equal(JobStatus.InProgress, await trailing.Jobs.Where(j => j.Id == job.JobId).Select(j => j.Status).SingleAsync());
            Assert.Equal(JobStatus.Scheduled, await app.StatusAsync(job.JobId));
            Assert.False(start.IsCompleted);
            Assert.False(app.Published.Any(job.JobId, EventTypes.JobStarted));
            await last.CommitAsync();
        }

        await held;
        Assert.Equal("IN_PROGRESS", (await (await start).Json()).Str("status"));
        Assert.True(app.Published.Any(job.JobId, EventTypes.JobStarted));
        Assert.Equal(job.JobId, (await inbox.NextEventAsync(EventTypes.JobStarted)).JobId);
        Assert.Equal([3], watch.Batches);
    }

    [Fact]
    public async Task A_change_cancelled_while_queued_never_runs_and_its_context_saves_on_its_own_later()
    {
        var user = await app.CreateUserAsync("queued");
        using var watch = new GroupCommitWatch(app);

        await using var holding = app.Db();
        await using var givingUp = app.Db();
        var hold = await app.GroupCommit.BeginAsync(holding, CancellationToken.None);
        givingUp.UserClaims.Add(new IdentityUserClaim<string> { UserId = user.Id, ClaimType = "queued", ClaimValue = "cancelled" });
        using var cancel = new CancellationTokenSource();
        var queued = givingUp.SaveChangesAsync(cancel.Token);
        await watch.WaitingAsync(1);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        await hold.CommitAsync();
        Assert.False(await ClaimSavedAsync(user.Id));

        Assert.Equal(1, await givingUp.SaveChangesAsync());
        Assert.True(await ClaimSavedAsync(user.Id));
        Assert.Equal(ConnectionState.Closed, givingUp.Database.GetDbConnection().State);
        Assert.Null(givingUp.Database.CurrentTransaction);
        Assert.Equal([1, 1], watch.Batches);
    }

    private async Task<bool> ClaimSavedAsync(string userId)
    {
        await using var db = app.Db();
        return await db.UserClaims.AnyAsync(c => c.UserId == userId && c.ClaimType == "queued");
    }

    private async Task<Scheduled> ScheduledJobAsync()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var (jobId, _) = await Api.ScheduledFlatJobAsync(customer, hustler);
        return new Scheduled(customer, hustler, jobId, (await customer.GetJobAsync(jobId)).Str("startCode"));
    }

    private sealed record Scheduled(TestUser Customer, TestUser Hustler, string JobId, string StartCode)
    {
        public Task<HttpResponseMessage> StartAsync(string? idempotencyKey = null) =>
            Hustler.SendRawAsync(HttpMethod.Post, $"/api/jobs/{JobId}/start", $$"""{"code": "{{StartCode}}"}""", idempotencyKey);
    }
}

public sealed class GroupCommitOffApp : SqliteApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Hustle:SqliteGroupCommit"] = "false" };
}

/// <summary><c>Hustle:SqliteGroupCommit=false</c>: each change commits in a transaction of its own, as on PostgreSQL.</summary>
public sealed class SqliteGroupCommitOffTests(GroupCommitOffApp app) : IClassFixture<GroupCommitOffApp>
{
    [Fact]
    public async Task Without_group_commit_each_change_commits_on_its_own_and_a_lifecycle_still_runs()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");

        var (jobId, _) = await Api.ScheduledFlatJobAsync(customer, hustler);
        var started = await Api.StartAsync(customer, hustler, jobId);

        Assert.Equal("IN_PROGRESS", started.Str("status"));
        Assert.IsType<OwnTransactions>(app.Services.GetRequiredService<IWriteTransactions>());
        Assert.Null(app.Services.GetService<SqliteGroupCommit>());
        Assert.Equal(["POST", "MAKE_OFFER", "ACCEPT_OFFER", "VERIFY_START_CODE"], (await hustler.HistoryAsync(jobId)).Select(h => h.Str("action")));
    }
}
