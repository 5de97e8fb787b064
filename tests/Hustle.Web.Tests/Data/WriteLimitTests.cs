using System.Net;
using System.Net.Http.Json;

namespace Hustle.Web.Tests.Data;

public sealed class OneWriterApp : TestApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Hustle:RateLimits:ConcurrentWrites"] = "1",
        ["Hustle:RateLimits:WriteQueue"] = "0",
    };
}

/// <summary>A node that is behind refuses extra state changes with 429 instead of holding a database connection for each.</summary>
public sealed class WriteLimitTests(OneWriterApp app) : IClassFixture<OneWriterApp>
{
    [Fact]
    public async Task Writes_beyond_the_limit_get_429_rate_limited_and_change_nothing_while_reads_go_on()
    {
        var customer = await app.CreateUserAsync("busy");

        var posts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => customer.Client.PostAsJsonAsync("/api/jobs", new
        {
            title = "Fix the sink",
            area = "Mission",
            location = "123 Valencia St",
            pricingType = "FLAT",
            amount = 5000,
            currency = "USD",
        })));
        var reads = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => customer.Client.GetAsync("/api/feed")));

        Assert.All(posts, p => Assert.Contains(p.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.TooManyRequests }));
        var refused = posts.Where(p => p.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        await refused[0].Problem(429, "rate_limited");
        var mine = await (await customer.Client.GetAsync("/api/jobs/mine")).Json();
        Assert.Equal(posts.Count(p => p.StatusCode == HttpStatusCode.Created), mine.GetProperty("jobs").GetArrayLength());
        Assert.All(reads, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }
}
