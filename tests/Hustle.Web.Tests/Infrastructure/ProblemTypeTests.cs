using System.Net;
using System.Net.Http.Json;
using Hustle.Web.Tests.Lifecycle;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Infrastructure;

public sealed class OneMessagePerMinuteApp : TestApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Hustle:RateLimits:MessagesPerMinute"] = "1",
    };
}

/// <summary>423 and 429 name the section that defines their status in <c>type</c>, like every other problem.</summary>
public sealed class LockedProblemTypeTests : LifecycleTest
{
    [Fact]
    public async Task A_locked_code_is_423_with_the_RFC_4918_type()
    {
        var (jobId, _) = await Api.ScheduledFlatJobAsync(Customer, Hustler);
        var code = (await Customer.GetJobAsync(jobId)).Str("startCode");
        var wrong = ((int.Parse(code) + 1) % 1_000_000).ToString("D6");
        for (var i = 0; i < 4; i++)
        {
            await (await Hustler.PostAsync($"/api/jobs/{jobId}/start", new { code = wrong })).Problem(422, "code_invalid");
        }

        var locked = await (await Hustler.PostAsync($"/api/jobs/{jobId}/start", new { code = wrong })).Problem(423, "code_locked");

        Assert.Equal("https://tools.ietf.org/html/rfc4918#section-11.3", locked.Str("type"));
    }
}

public sealed class RateLimitedProblemTypeTests() : LifecycleTest(new OneMessagePerMinuteApp())
{
    [Fact]
    public async Task A_rate_limited_request_is_429_with_the_RFC_6585_type_and_Retry_After()
    {
        var jobId = (await Customer.PostFlatJobAsync()).Str("id");
        var thread = (await (await Hustler.PostAsync($"/api/jobs/{jobId}/threads")).Json(HttpStatusCode.Created)).Str("id");
        await (await Hustler.Client.PostAsJsonAsync($"/api/threads/{thread}/messages", new { body = "first" })).Json(HttpStatusCode.Created);

        var refused = await Hustler.Client.PostAsJsonAsync($"/api/threads/{thread}/messages", new { body = "second" });

        Assert.NotNull(refused.Headers.RetryAfter);
        var problem = await refused.Problem(429, "rate_limited");
        Assert.Equal("https://tools.ietf.org/html/rfc6585#section-4", problem.Str("type"));
        await using var db = App.Db();
        Assert.Equal(1, await db.Messages.CountAsync(m => m.ThreadId == thread));
    }
}
