using System.Net;
using System.Text.Json;

namespace Hustle.Web.Tests.Lifecycle;

public sealed class EnterCodeTests : LifecycleTest
{
    [Fact]
    public async Task Five_wrong_start_codes_lock_the_code_for_15_minutes_tell_the_customer_and_then_the_right_code_works()
    {
        var (jobId, _) = await Api.ScheduledFlatJobAsync(Customer, Hustler);
        var code = (await Customer.GetJobAsync(jobId)).Str("startCode");
        var wrong = Wrong(code);

        for (var left = 4; left >= 1; left--)
        {
            var refused = await (await Hustler.PostAsync($"/api/jobs/{jobId}/start", new { code = wrong })).Problem(422, "code_invalid");
            Assert.Equal(left, refused.GetProperty("triesLeft").GetInt32());
        }

        var locked = await (await Hustler.PostAsync($"/api/jobs/{jobId}/start", new { code = wrong })).Problem(423, "code_locked");
        var until = locked.GetProperty("lockedUntil").GetDateTimeOffset();
        Assert.Equal(App.Clock.GetUtcNow() + TimeSpan.FromMinutes(15), until);

        // The customer is told, in the feed and in the history; the hustler sees the lock too, never the code.
        var told = (await Customer.FeedAsync(jobId)).Single(e => e.Str("type") == "CODE_LOCKED");
        Assert.Equal("START", told.GetProperty("data").Str("code"));
        Assert.Equal(until, told.GetProperty("data").GetProperty("lockedUntil").GetDateTimeOffset());
        var line = (await Customer.HistoryAsync(jobId)).Single(h => h.Str("action") == "CODE_LOCKED");
        Assert.Equal(Hustler.Id, line.Str("actor"));
        Assert.Contains(await Hustler.FeedAsync(jobId), e => e.Str("type") == "CODE_LOCKED");
        Assert.Equal(until, (await Customer.GetJobAsync(jobId)).GetProperty("startCodeLockedUntil").GetDateTimeOffset());

        // While locked even the right code is refused, and refusing it costs nothing.
        App.Clock.Advance(TimeSpan.FromMinutes(14));
        var before = await App.SnapshotAsync(jobId);
        await (await Hustler.PostAsync($"/api/jobs/{jobId}/start", new { code })).Problem(423, "code_locked");
        Assert.Equal(before, await App.SnapshotAsync(jobId));

        App.Clock.Advance(TimeSpan.FromMinutes(1));
        var started = await (await Hustler.PostAsync($"/api/jobs/{jobId}/start", new { code })).Json();
        Assert.Equal("IN_PROGRESS", started.Str("status"));
        Assert.True(started.GetProperty("startCodeVerified").GetBoolean());
    }

    [Fact]
    public async Task After_the_lock_ends_the_hustler_gets_five_fresh_tries()
    {
        var (jobId, _) = await Api.ScheduledFlatJobAsync(Customer, Hustler);
        var wrong = Wrong((await Customer.GetJobAsync(jobId)).Str("startCode"));
        for (var i = 0; i < 5; i++)
        {
            await Hustler.PostAsync($"/api/jobs/{jobId}/start", new { code = wrong });
        }

        App.Clock.Advance(TimeSpan.FromMinutes(15));
        var refused = await (await Hustler.PostAsync($"/api/jobs/{jobId}/start", new { code = wrong })).Problem(422, "code_invalid");
        Assert.Equal(4, refused.GetProperty("triesLeft").GetInt32());
    }

    [Fact]
    public async Task Wrong_completion_codes_lock_the_completion_code_and_the_customer_is_told()
    {
        var (jobId, _) = await Api.ScheduledFlatJobAsync(Customer, Hustler);
        await Api.StartAsync(Customer, Hustler, jobId);
        var code = (await Customer.GetJobAsync(jobId)).Str("completionCode");
        for (var i = 0; i < 4; i++)
        {
            await (await Hustler.PostAsync($"/api/jobs/{jobId}/complete", new { code = Wrong(code) })).Problem(422, "code_invalid");
        }

        await (await Hustler.PostAsync($"/api/jobs/{jobId}/complete", new { code = Wrong(code) })).Problem(423, "code_locked");
        var told = (await Customer.FeedAsync(jobId)).Single(e => e.Str("type") == "CODE_LOCKED");
        Assert.Equal("COMPLETION", told.GetProperty("data").Str("code"));
        await (await Hustler.PostAsync($"/api/jobs/{jobId}/complete", new { code })).Problem(423, "code_locked");

        App.Clock.Advance(TimeSpan.FromMinutes(15));
        var done = await (await Hustler.PostAsync($"/api/jobs/{jobId}/complete", new { code })).Json();
        Assert.Equal("AWAITING_CUSTOMER_CONFIRM", done.Str("status"));
    }

    [Fact]
    public async Task Only_the_assigned_hustler_enters_codes_and_the_customer_stops_seeing_a_used_code()
    {
        var (jobId, _) = await Api.ScheduledFlatJobAsync(Customer, Hustler);
        var view = await Customer.GetJobAsync(jobId);
        var (start, completion) = (view.Str("startCode"), view.Str("completionCode"));
        Assert.Matches("^[0-9]{6}$", start);
        Assert.Matches("^[0-9]{6}$", completion);

        await (await Customer.PostAsync($"/api/jobs/{jobId}/start", new { code = start })).Problem(409, "invalid_transition");
        var stranger = await NewHustlerAsync();
        await (await stranger.PostAsync($"/api/jobs/{jobId}/start", new { code = start })).Problem(404, "not_found");
        await (await Hustler.PostAsync($"/api/jobs/{jobId}/start", new { code = "12ab56" })).Problem(400, "validation_failed");

        var started = await (await Hustler.PostAsync($"/api/jobs/{jobId}/start", new { code = start })).Json();
        Assert.Equal(JsonValueKind.Null, started.GetProperty("startCode").ValueKind);
        var after = await Customer.GetJobAsync(jobId);
        Assert.Equal(JsonValueKind.Null, after.GetProperty("startCode").ValueKind);
        Assert.Equal(completion, after.Str("completionCode"));
        await (await Hustler.PostAsync($"/api/jobs/{jobId}/start", new { code = start })).Problem(409, "invalid_transition");
    }

    [Fact]
    public async Task A_hustler_never_receives_a_code_in_any_answer_event_or_history_line()
    {
        var (jobId, scheduled) = await Api.ScheduledFlatJobAsync(Customer, Hustler);
        Assert.Equal(JsonValueKind.Null, (await Hustler.GetJobAsync(jobId)).GetProperty("startCode").ValueKind);
        var assigned = (await Hustler.FeedAsync(jobId)).Single(e => e.Str("type") == "JOB_ASSIGNED");
        Assert.False(assigned.GetProperty("data").TryGetProperty("startCode", out _));
        var customerCopy = (await Customer.FeedAsync(jobId)).Single(e => e.Str("type") == "JOB_ASSIGNED");
        Assert.Equal(scheduled.Str("startCode"), customerCopy.GetProperty("data").Str("startCode"));

        await Api.StartAsync(Customer, Hustler, jobId);
        await Api.CompleteAsync(Customer, Hustler, jobId);
        Assert.Equal(HttpStatusCode.OK, (await Customer.ConfirmAsync(jobId)).StatusCode);
        await Hustler.Client.GetAsync($"/api/jobs/{jobId}/history");
        await Hustler.Client.GetAsync($"/api/jobs/{jobId}/offers");

        // The base class then checks every answer the hustler got, plus the job, offers, history and feed again.
        Assert.Contains(scheduled.Str("startCode"), Codes.Seen);
        Assert.Contains(scheduled.Str("completionCode"), Codes.Seen);
    }

    private static string Wrong(string code) => ((int.Parse(code) + 1) % 1_000_000).ToString("D6");
}
