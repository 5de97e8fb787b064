namespace Hustle.Web.Tests.Jobs;

public class BrowseJobsTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task Browsing_shows_other_peoples_open_and_requested_jobs_filtered_by_status_and_never_ones_own()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var browser = await app.CreateUserAsync("browser");
        var open = (await customer.PostFlatJobAsync()).Str("id");
        var requested = (await customer.PostFlatJobAsync()).Str("id");
        await hustler.OfferAsync(requested);
        var (scheduled, _) = await Api.ScheduledFlatJobAsync(customer, hustler);
        var own = (await browser.PostFlatJobAsync()).Str("id");

        var all = await Browse(browser, "");
        var onlyOpen = await Browse(browser, "?status=OPEN");
        var onlyRequested = await Browse(browser, "?status=REQUESTED");

        Assert.Contains(open, all);
        Assert.Contains(requested, all);
        Assert.DoesNotContain(scheduled, all);
        Assert.DoesNotContain(own, all);
        Assert.Contains(open, onlyOpen);
        Assert.DoesNotContain(requested, onlyOpen);
        Assert.Equal([requested], onlyRequested.Where(id => id == requested || id == open));
    }

    private static async Task<List<string>> Browse(TestUser user, string query) =>
        [.. (await (await user.Client.GetAsync($"/api/jobs{query}")).Json()).EnumerateArray().Select(j => j.Str("id"))];
}
