using System.Net;
using Hustle.Web.Payments.Simulated;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Infrastructure;

/// <summary><c>Idempotency-Key</c> on state-changing requests: a replay gets the first answer and runs nothing.</summary>
public class IdempotencyTests(TestApp app) : IClassFixture<TestApp>
{
    private const string SinkJob = """{"title": "Fix the sink", "area": "Mission", "location": "1 Valencia St", "pricingType": "FLAT", "amount": 5000, "currency": "USD"}""";

    [Fact]
    public async Task A_replayed_post_returns_the_same_body_and_creates_no_second_job()
    {
        var customer = await app.CreateUserAsync("customer");

        var first = await customer.SendRawAsync(HttpMethod.Post, "/api/jobs", SinkJob, idempotencyKey: "post-sink-1");
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var counts = await app.RowCountsAsync();

        var replay = await customer.SendRawAsync(HttpMethod.Post, "/api/jobs", SinkJob, idempotencyKey: "post-sink-1");

        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal(firstBody, await replay.Content.ReadAsStringAsync());
        Assert.Equal("true", Assert.Single(replay.Headers.GetValues("Idempotent-Replayed")));
        Assert.NotNull(first.Headers.Location);
        Assert.Equal(first.Headers.Location, replay.Headers.Location);
        Assert.Equal(counts, await app.RowCountsAsync());
        await using var db = app.Db();
        Assert.Single(await db.Jobs.Where(j => j.CustomerId == customer.Id).ToListAsync());
    }

    [Fact]
    public async Task The_same_key_with_another_body_gets_422_idempotency_mismatch_and_creates_nothing()
    {
        var customer = await app.CreateUserAsync("customer");
        await (await customer.SendRawAsync(HttpMethod.Post, "/api/jobs", SinkJob, idempotencyKey: "post-sink-2")).Json(HttpStatusCode.Created);
        var counts = await app.RowCountsAsync();

        var other = await customer.SendRawAsync(HttpMethod.Post, "/api/jobs", SinkJob.Replace("5000", "7000", StringComparison.Ordinal), idempotencyKey: "post-sink-2");

        await other.Problem(422, "idempotency_mismatch");
        Assert.Equal(counts, await app.RowCountsAsync());
        await using var db = app.Db();
        Assert.Equal(5000, (await db.Jobs.SingleAsync(j => j.CustomerId == customer.Id)).Amount);
    }

    [Fact]
    public async Task Keys_belong_to_their_user_so_two_users_with_one_key_each_get_their_own_job()
    {
        var first = await app.CreateUserAsync("customer");
        var second = await app.CreateUserAsync("customer");

        var a = await (await first.SendRawAsync(HttpMethod.Post, "/api/jobs", SinkJob, idempotencyKey: "shared-key")).Json(HttpStatusCode.Created);
        var b = await (await second.SendRawAsync(HttpMethod.Post, "/api/jobs", SinkJob, idempotencyKey: "shared-key")).Json(HttpStatusCode.Created);

        Assert.NotEqual(a.Str("id"), b.Str("id"));
        Assert.Equal((first.Id, second.Id), (a.Str("customerId"), b.Str("customerId")));
    }

    [Fact]
    public async Task A_replayed_accept_returns_the_first_answer_and_holds_the_money_once()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var jobId = (await customer.PostFlatJobAsync()).Str("id");
        var offerId = (await hustler.OfferAsync(jobId)).Str("id");

        var first = await customer.SendRawAsync(HttpMethod.Post, $"/api/offers/{offerId}/accept", idempotencyKey: "accept-1");
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var before = await app.SnapshotAsync(jobId);

        var replay = await customer.SendRawAsync(HttpMethod.Post, $"/api/offers/{offerId}/accept", idempotencyKey: "accept-1");

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(firstBody, await replay.Content.ReadAsStringAsync());
        Assert.Equal(before, await app.SnapshotAsync(jobId));
        await using var db = app.Db();
        Assert.Single(await db.Set<SimulatedHold>().Where(h => h.JobId == jobId).ToListAsync());
    }

    [Fact]
    public async Task A_replayed_refusal_is_the_same_refusal()
    {
        var customer = await app.CreateUserAsync("customer");
        var jobId = (await customer.PostFlatJobAsync()).Str("id");

        var first = await customer.SendRawAsync(HttpMethod.Post, $"/api/jobs/{jobId}/offers", "{}", idempotencyKey: "own-offer");
        var firstProblem = await first.Problem(409, "invalid_transition");
        var replay = await customer.SendRawAsync(HttpMethod.Post, $"/api/jobs/{jobId}/offers", "{}", idempotencyKey: "own-offer");

        Assert.Equal(firstProblem.GetRawText(), (await replay.Problem(409, "invalid_transition")).GetRawText());
    }

    [Fact]
    public async Task A_key_longer_than_200_characters_is_refused_with_400()
    {
        var customer = await app.CreateUserAsync("customer");
        var counts = await app.RowCountsAsync();

        var response = await customer.SendRawAsync(HttpMethod.Post, "/api/jobs", SinkJob, idempotencyKey: new string('k', 201));

        await response.Problem(400, "validation_failed");
        Assert.Equal(counts, await app.RowCountsAsync());
    }
}
