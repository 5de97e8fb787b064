using System.Net.Http.Json;

namespace Hustle.Web.Tests.Jobs;

/// <summary>BOLA: someone who takes no part in a scheduled job learns nothing about it and changes nothing.</summary>
public class NonParticipantTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task A_third_user_gets_404_from_every_endpoint_of_someone_elses_scheduled_job_and_nothing_changes()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var loser = await app.CreateUserAsync("loser");
        var stranger = await app.CreateUserAsync("stranger");
        var jobId = (await customer.PostFlatJobAsync(amount: 5000, title: "Secret garden")).Str("id");
        var declinedOffer = (await loser.OfferAsync(jobId)).Str("id");
        var acceptedOffer = (await hustler.OfferAsync(jobId)).Str("id");
        await customer.AcceptAsync(acceptedOffer);
        var proposal = await (await hustler.PostAsync($"/api/jobs/{jobId}/price-proposals", new { amount = 5500 })).Json(System.Net.HttpStatusCode.Created);
        var startCode = (await customer.GetJobAsync(jobId)).Str("startCode");
        var before = await app.SnapshotAsync(jobId);
        var counts = await app.RowCountsAsync();

        (HttpMethod Method, string Path, object? Body)[] endpoints =
        [
            (HttpMethod.Get, $"/api/jobs/{jobId}", null),
            (HttpMethod.Patch, $"/api/jobs/{jobId}", new { title = "Mine now" }),
            (HttpMethod.Get, $"/api/jobs/{jobId}/history", null),
            (HttpMethod.Get, $"/api/jobs/{jobId}/offers", null),
            (HttpMethod.Post, $"/api/jobs/{jobId}/offers", new { message = "Let me in" }),
            (HttpMethod.Post, $"/api/jobs/{jobId}/unassign", new { reason = "Because" }),
            (HttpMethod.Post, $"/api/jobs/{jobId}/cancel", new { reason = "Because" }),
            (HttpMethod.Post, $"/api/jobs/{jobId}/dispute", new { reason = "Because" }),
            (HttpMethod.Post, $"/api/jobs/{jobId}/start", new { code = startCode }),
            (HttpMethod.Post, $"/api/jobs/{jobId}/complete", new { code = startCode }),
            (HttpMethod.Post, $"/api/jobs/{jobId}/request-payment", new { }),
            (HttpMethod.Post, $"/api/jobs/{jobId}/confirm", null),
            (HttpMethod.Post, $"/api/jobs/{jobId}/resolve-cancel", new { reason = "Because" }),
            (HttpMethod.Post, $"/api/jobs/{jobId}/price-proposals", new { amount = 1 }),
            (HttpMethod.Post, $"/api/offers/{acceptedOffer}/accept", null),
            (HttpMethod.Post, $"/api/offers/{acceptedOffer}/decline", new { reason = "No" }),
            (HttpMethod.Post, $"/api/offers/{acceptedOffer}/withdraw", null),
            (HttpMethod.Post, $"/api/offers/{declinedOffer}/accept", null),
            (HttpMethod.Post, $"/api/offers/{declinedOffer}/decline", null),
            (HttpMethod.Post, $"/api/offers/{declinedOffer}/withdraw", null),
            (HttpMethod.Post, $"/api/price-proposals/{proposal.Str("id")}/accept", null),
            (HttpMethod.Post, $"/api/price-proposals/{proposal.Str("id")}/decline", null),
        ];

        var answers = new List<string>();
        foreach (var (method, path, body) in endpoints)
        {
            var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            var response = await stranger.Client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var leaks = text.Contains("Secret garden", StringComparison.Ordinal) || text.Contains("Valencia", StringComparison.Ordinal) || text.Contains(hustler.Id, StringComparison.Ordinal);
            var code = response.Content.Headers.ContentType?.MediaType == "application/problem+json" ? System.Text.Json.JsonDocument.Parse(text).RootElement.Str("code") : "-";
            answers.Add($"{method} {path.Replace(jobId, "{job}", StringComparison.Ordinal)} -> {(int)response.StatusCode} {code}{(leaks ? " LEAKS" : "")}");
        }

        Assert.Equal(endpoints.Select(e => $"{e.Method} {e.Path.Replace(jobId, "{job}", StringComparison.Ordinal)} -> 404 not_found"), answers);
        Assert.Equal(before, await app.SnapshotAsync(jobId));
        Assert.Equal(counts, await app.RowCountsAsync());
        Assert.DoesNotContain(await stranger.FeedAsync(), e => e.Str("jobId") == jobId);
        Assert.DoesNotContain((await (await stranger.Client.GetAsync("/api/jobs")).Json()).EnumerateArray(), j => j.Str("id") == jobId);
    }

    [Theory]
    [InlineData("GET", "/api/jobs/job_0123456789abcdef0123456789abcdef", null)]
    [InlineData("PATCH", "/api/jobs/job_0123456789abcdef0123456789abcdef", """{"title": "x"}""")]
    [InlineData("GET", "/api/jobs/job_0123456789abcdef0123456789abcdef/history", null)]
    [InlineData("GET", "/api/jobs/job_0123456789abcdef0123456789abcdef/offers", null)]
    [InlineData("POST", "/api/jobs/job_0123456789abcdef0123456789abcdef/offers", "{}")]
    [InlineData("POST", "/api/jobs/job_0123456789abcdef0123456789abcdef/cancel", "{}")]
    [InlineData("POST", "/api/jobs/not-an-id-at-all/unassign", "{}")]
    [InlineData("POST", "/api/offers/off_0123456789abcdef0123456789abcdef/accept", "{}")]
    [InlineData("POST", "/api/offers/off_0123456789abcdef0123456789abcdef/decline", "{}")]
    [InlineData("POST", "/api/offers/off_0123456789abcdef0123456789abcdef/withdraw", "{}")]
    [InlineData("POST", "/api/price-proposals/prp_0123456789abcdef0123456789abcdef/accept", "{}")]
    [InlineData("POST", "/api/price-proposals/prp_0123456789abcdef0123456789abcdef/decline", "{}")]
    public async Task An_unknown_id_gets_404_not_found(string method, string path, string? body)
    {
        var user = await app.CreateUserAsync("user");
        var counts = await app.RowCountsAsync();

        var response = await user.SendRawAsync(new HttpMethod(method), path, body);

        await response.Problem(404, "not_found");
        Assert.Equal(counts, await app.RowCountsAsync());
    }

    [Fact]
    public async Task A_stranger_browsing_an_open_job_sees_the_area_but_not_the_address()
    {
        var customer = await app.CreateUserAsync("customer");
        var stranger = await app.CreateUserAsync("stranger");
        var jobId = (await customer.PostFlatJobAsync()).Str("id");

        var browsed = Assert.Single((await (await stranger.Client.GetAsync("/api/jobs?status=OPEN")).Json()).EnumerateArray(), j => j.Str("id") == jobId);
        var single = await stranger.GetJobAsync(jobId);

        Assert.Equal(("Mission", System.Text.Json.JsonValueKind.Null), (browsed.Str("area"), browsed.GetProperty("location").ValueKind));
        Assert.Equal(("Mission", System.Text.Json.JsonValueKind.Null), (single.Str("area"), single.GetProperty("location").ValueKind));
    }
}
