using System.Net;
using System.Text;
using System.Text.Json;
using Hustle.Web.Tests.Messaging;

namespace Hustle.Web.Tests.Infrastructure;

/// <summary>
/// Every list answers <c>limit</c> items at most, in a stable order, and names its next page in a <c>Link rel="next"</c>
/// header and <c>X-Next-Cursor</c> (and <c>nextCursor</c> in my jobs' body): following them yields every item exactly
/// once. A fresh app per test, so the lists hold only what the test made.
/// </summary>
public sealed class PagingTests : IAsyncLifetime
{
    private TestApp App { get; } = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await App.DisposeAsync();

    [Fact]
    public async Task My_jobs_come_a_page_at_a_time_and_a_job_posted_while_walking_neither_repeats_nor_hides_one()
    {
        var customer = await App.CreateUserAsync("customer");
        var posted = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            posted.Add((await customer.PostFlatJobAsync(title: $"Job {i}")).Str("id"));
            App.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var first = await customer.Client.GetAsync("/api/jobs/mine?limit=2");
        var page = await first.Json();
        var next = page.Str("nextCursor");
        Assert.Equal(next, first.Headers.GetValues("X-Next-Cursor").Single());
        Assert.Equal([posted[4], posted[3]], Ids(page.GetProperty("jobs")));
        Assert.True(page.GetProperty("cursor").GetInt64() > 0); // still the feed seq

        var late = (await customer.PostFlatJobAsync(title: "Posted while walking")).Str("id");
        var rest = await WalkAsync(customer, NextLink(first)!, body => body.GetProperty("jobs"));

        Assert.Equal([posted[2], posted[1], posted[0]], rest.SelectMany(p => p).ToList());
        Assert.All(rest, p => Assert.InRange(p.Count, 1, 2));
        Assert.Equal(late, Ids((await (await customer.Client.GetAsync("/api/jobs/mine?limit=1")).Json()).GetProperty("jobs")).Single());
        var all = await (await customer.Client.GetAsync("/api/jobs/mine")).Json();
        Assert.Equal(JsonValueKind.Null, all.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task My_jobs_default_to_pages_of_50()
    {
        var customer = await App.CreateUserAsync("customer");
        for (var i = 0; i < 51; i++)
        {
            await customer.PostFlatJobAsync(title: $"Job {i}");
        }

        var pages = await WalkAsync(customer, "/api/jobs/mine", body => body.GetProperty("jobs"));

        Assert.Equal([50, 1], pages.Select(p => p.Count));
        Assert.Equal(51, pages.SelectMany(p => p).Distinct().Count());
    }

    [Fact]
    public async Task Browse_offers_history_threads_and_messages_honour_limit_and_walk_to_every_item_once()
    {
        var customer = await App.CreateUserAsync("customer");
        var hustlers = new List<TestUser>();
        var jobIds = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            jobIds.Add((await customer.PostFlatJobAsync(title: $"Job {i}")).Str("id"));
            App.Clock.Advance(TimeSpan.FromSeconds(1));
            hustlers.Add(await App.CreateUserAsync("hustler"));
        }

        var jobId = jobIds[0];
        var offers = new List<string>();
        foreach (var hustler in hustlers)
        {
            offers.Add((await hustler.OfferAsync(jobId)).Str("id"));
            App.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var asker = hustlers[0];
        foreach (var other in jobIds.Skip(1))
        {
            await (await asker.PostAsync($"/api/jobs/{other}/threads")).Json(HttpStatusCode.Created);
        }

        var threadId = (await asker.ThreadsAsync()).EnumerateArray().Single(t => t.Str("jobId") == jobId).Str("id");
        var messages = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            messages.Add((await asker.SendAsync(threadId, $"message {i}")).Str("id"));
        }

        var browse = await WalkAsync(hustlers[1], "/api/jobs?status=OPEN&limit=2", body => body);
        Assert.Equal([.. jobIds.Skip(1).Reverse()], browse.SelectMany(p => p).ToList());

        Assert.Equal(offers, (await WalkAsync(customer, $"/api/jobs/{jobId}/offers?limit=2", body => body)).SelectMany(p => p).ToList());

        static string Line(JsonElement e) => $"{e.Str("at")} {e.Str("actor")} {e.Str("action")} {e.Str("to")}";
        var history = (await (await customer.Client.GetAsync($"/api/jobs/{jobId}/history?limit=200")).Json()).EnumerateArray().Select(Line).ToList();
        Assert.True(history.Count >= 6, $"history has {history.Count} lines");
        var historyPages = await WalkAsync(customer, $"/api/jobs/{jobId}/history?limit=2", body => body, Line);
        Assert.Equal(history, historyPages.SelectMany(p => p).ToList());
        Assert.All(historyPages, p => Assert.InRange(p.Count, 1, 2));

        var threads = await WalkAsync(asker, "/api/threads?limit=2", body => body);
        Assert.All(threads, p => Assert.InRange(p.Count, 1, 2));
        Assert.Equal(5, threads.SelectMany(p => p).Distinct().Count());
        Assert.Equal(5, threads.Sum(p => p.Count));

        Assert.Equal(messages, (await WalkAsync(customer, $"/api/threads/{threadId}/messages?limit=2", body => body)).SelectMany(p => p).ToList());
    }

    [Theory]
    [InlineData("/api/jobs/mine")]
    [InlineData("/api/jobs?status=OPEN")]
    [InlineData("/api/threads")]
    [InlineData("/api/jobs/{job}/offers")]
    [InlineData("/api/jobs/{job}/history")]
    public async Task A_bad_cursor_or_limit_is_a_400_problem(string list)
    {
        var customer = await App.CreateUserAsync("customer");
        var path = list.Replace("{job}", (await customer.PostFlatJobAsync()).Str("id"), StringComparison.Ordinal);
        var join = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var forged = Convert.ToBase64String(Encoding.UTF8.GetBytes("p1|not-a-number|job_x")).TrimEnd('=');
        foreach (var query in new[] { "after=garbage!", $"after={forged}", "after=" + new string('A', 400), "limit=0", "limit=-1", "limit=201", "limit=99999999999" })
        {
            await (await customer.Client.GetAsync($"{path}{join}{query}")).Problem(400, "validation_failed");
        }

        await (await customer.Client.GetAsync($"{path}{join}limit=200")).Json();
    }

    [Fact]
    public async Task Paging_the_lists_of_an_assigned_job_does_not_open_them_to_a_non_participant()
    {
        var customer = await App.CreateUserAsync("customer");
        var jobId = (await customer.PostFlatJobAsync()).Str("id");
        var offers = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            offers.Add((await (await App.CreateUserAsync("hustler")).OfferAsync(jobId)).Str("id"));
        }

        await customer.AcceptAsync(offers[0]);

        var first = await customer.Client.GetAsync($"/api/jobs/{jobId}/history?limit=1");
        await first.Json();
        var cursor = first.Headers.GetValues("X-Next-Cursor").Single();
        var stranger = await App.CreateUserAsync("stranger");

        foreach (var list in new[] { "offers", "history" })
        {
            await (await stranger.Client.GetAsync($"/api/jobs/{jobId}/{list}?limit=1")).Problem(404, "not_found");
            await (await stranger.Client.GetAsync($"/api/jobs/{jobId}/{list}?limit=1&after={cursor}")).Problem(404, "not_found");
        }
    }

    /// <summary>Follows the Link rel="next" headers from <paramref name="url"/>; the ids of each page.</summary>
    private static async Task<List<List<string>>> WalkAsync(TestUser user, string url, Func<JsonElement, JsonElement> items, Func<JsonElement, string>? key = null)
    {
        var pages = new List<List<string>>();
        for (string? next = url; next is not null;)
        {
            Assert.True(pages.Count < 100, "The pages never end.");
            var response = await user.Client.GetAsync(next);
            var body = await response.Json();
            pages.Add([.. items(body).EnumerateArray().Select(key ?? (e => e.Str("id")))]);
            next = NextLink(response);
            Assert.Equal(next is not null, response.Headers.Contains("X-Next-Cursor"));
        }

        return pages;
    }

    private static string? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }

        var link = links.Single();
        Assert.EndsWith(">; rel=\"next\"", link, StringComparison.Ordinal);
        return link[1..link.IndexOf('>', StringComparison.Ordinal)];
    }

    private static List<string> Ids(JsonElement list) => [.. list.EnumerateArray().Select(j => j.Str("id"))];
}
