using System.Net;
using Hustle.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Infrastructure;

/// <summary>Hustle on a real Kestrel listener on a free loopback port, where the server itself enforces body limits.</summary>
public sealed class KestrelApp : TestApp
{
    public KestrelApp()
    {
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        StartServer();
    }
}

/// <summary>On Kestrel, too, a body over the cap is a 413 problem (not Kestrel's bare 413, a 500 or a half-read request).</summary>
public class KestrelBodyLimitTests(KestrelApp app) : IClassFixture<KestrelApp>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_job_body_over_the_cap_gets_413_problem_from_Kestrel_and_creates_nothing(bool chunked)
    {
        var customer = await app.CreateUserAsync("big");
        var counts = await app.RowCountsAsync();

        var response = await customer.Client.SendAsync(BodyLimitTests.BigJobRequest(4 * BodyLimits.DefaultApiBytes, chunked, $"kestrel-{chunked}"));

        var problem = await response.Problem(413, "payload_too_large");
        Assert.Equal(BodyLimitTests.TooLargeType, problem.Str("type"));
        Assert.Equal(counts, await app.RowCountsAsync());
        await using var db = app.Db();
        Assert.False(await db.Set<IdempotencyRecord>().AnyAsync(r => r.UserId == customer.Id));
    }
}
