using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hustle.Domain.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests;

/// <summary>The steps of a job's life over HTTP, and the assertions tests make about answers.</summary>
public static class Api
{
    public static async Task<JsonElement> Json(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected} but got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 7807 answer with this status and stable code, and returns its body.</summary>
    public static async Task<JsonElement> Problem(this HttpResponseMessage response, int status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status} {code} but got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(code, body.GetProperty("code").GetString());
        return body;
    }

    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString()!;

    public static async Task<JsonElement> PostFlatJobAsync(this TestUser customer, long amount = 5000, string title = "Fix the sink") =>
        await (await customer.Client.PostAsJsonAsync("/api/jobs", new
        {
            title,
            description = "Kitchen sink leaks",
            area = "Mission",
            location = "123 Valencia St, Apt 4",
            pricingType = "FLAT",
            amount,
            currency = "USD",
        })).Json(HttpStatusCode.Created);

    public static async Task<JsonElement> PostHourlyJobAsync(this TestUser customer, long hourlyRate = 4000, decimal estimatedHours = 3m) =>
        await (await customer.Client.PostAsJsonAsync("/api/jobs", new
        {
            title = "Garden work",
            description = "Weeding",
            area = "Sunset",
            location = "9 Irving St",
            pricingType = "HOURLY",
            hourlyRate,
            estimatedHours,
            currency = "USD",
        })).Json(HttpStatusCode.Created);

    public static async Task<JsonElement> OfferAsync(this TestUser hustler, string jobId, long? proposedAmount = null, string? message = "I can do it") =>
        await (await hustler.Client.PostAsJsonAsync($"/api/jobs/{jobId}/offers", new { proposedAmount, message })).Json(HttpStatusCode.Created);

    public static async Task<JsonElement> AcceptAsync(this TestUser customer, string offerId) =>
        await (await customer.Client.PostAsync($"/api/offers/{offerId}/accept", null)).Json();

    public static async Task<JsonElement> GetJobAsync(this TestUser user, string jobId) =>
        await (await user.Client.GetAsync($"/api/jobs/{jobId}")).Json();

    public static Task<HttpResponseMessage> PostAsync(this TestUser user, string path, object? body = null) =>
        body is null ? user.Client.PostAsync(path, null) : user.Client.PostAsJsonAsync(path, body);

    /// <summary>Posts a job, gets an offer from <paramref name="hustler"/> and accepts it: the job is SCHEDULED.</summary>
    public static async Task<(string JobId, JsonElement Job)> ScheduledFlatJobAsync(TestUser customer, TestUser hustler, long amount = 5000, long? proposedAmount = null)
    {
        var job = await customer.PostFlatJobAsync(amount);
        var offer = await hustler.OfferAsync(job.Str("id"), proposedAmount);
        var scheduled = await customer.AcceptAsync(offer.Str("id"));
        return (job.Str("id"), scheduled);
    }

    public static async Task<(string JobId, JsonElement Job)> ScheduledHourlyJobAsync(TestUser customer, TestUser hustler, long hourlyRate = 4000, decimal estimatedHours = 3m)
    {
        var job = await customer.PostHourlyJobAsync(hourlyRate, estimatedHours);
        var offer = await hustler.OfferAsync(job.Str("id"), null);
        var scheduled = await customer.AcceptAsync(offer.Str("id"));
        return (job.Str("id"), scheduled);
    }

    /// <summary>Enters the start code the customer was shown: the job is IN_PROGRESS.</summary>
    public static async Task<JsonElement> StartAsync(TestUser customer, TestUser hustler, string jobId)
    {
        var code = (await customer.GetJobAsync(jobId)).Str("startCode");
        return await (await hustler.PostAsync($"/api/jobs/{jobId}/start", new { code })).Json();
    }

    public static async Task<JsonElement> CompleteAsync(TestUser customer, TestUser hustler, string jobId)
    {
        var code = (await customer.GetJobAsync(jobId)).Str("completionCode");
        return await (await hustler.PostAsync($"/api/jobs/{jobId}/complete", new { code })).Json();
    }

    /// <summary>What the database holds about a job: status, version, offers, history and feed sizes, payment.</summary>
    public static async Task<string> SnapshotAsync(this TestApp app, string jobId)
    {
        await using var db = app.Db();
        var job = await db.Jobs.AsNoTracking().Include(j => j.Offers).Include(j => j.PriceProposals).FirstAsync(j => j.Id == jobId);
        var history = await db.JobHistory.CountAsync(h => h.JobId == jobId);
        var feed = await db.FeedEvents.CountAsync(e => e.JobId == jobId);
        var payment = await db.Set<global::Hustle.Web.Payments.Payment>().AsNoTracking().FirstOrDefaultAsync(p => p.JobId == jobId);
        var offers = string.Join(",", job.Offers.OrderBy(o => o.Id).Select(o => $"{o.Id}:{o.Status}"));
        var proposals = string.Join(",", job.PriceProposals.OrderBy(p => p.Id).Select(p => $"{p.Id}:{p.Status}"));
        return $"{job.Status} v{job.Version} pay={job.PaymentStatus} auth={job.AuthorizedAmount} cap={job.CapturedAmount} amount={job.Amount} rate={job.HourlyRate} "
            + $"hustler={job.HustlerId} title={job.Title} offers=[{offers}] proposals=[{proposals}] history={history} feed={feed} "
            + $"payment={payment?.HoldId}/{payment?.AuthorizedAmount}/{payment?.CapturedAmount}/{payment?.VoidedAmount}";
    }

    /// <summary>Row counts of the tables a refused request must not touch: jobs, offers, feed events, history.</summary>
    public static async Task<string> RowCountsAsync(this TestApp app)
    {
        await using var db = app.Db();
        return $"jobs={await db.Jobs.CountAsync()} offers={await db.Offers.CountAsync()} feed={await db.FeedEvents.CountAsync()} history={await db.JobHistory.CountAsync()}";
    }

    /// <summary>The user's feed after <paramref name="after"/>, as the contract's envelopes.</summary>
    public static async Task<IReadOnlyList<JsonElement>> FeedAsync(this TestUser user, long after = 0)
    {
        var feed = await (await user.Client.GetAsync($"/api/feed?after={after}&limit=500")).Json();
        return [.. feed.GetProperty("events").EnumerateArray()];
    }

    /// <summary>The feed events of one type about one job that <paramref name="user"/> received.</summary>
    public static async Task<IReadOnlyList<JsonElement>> EventsAsync(this TestUser user, string jobId, string type) =>
        [.. (await user.FeedAsync()).Where(e => e.Str("type") == type && e.Str("jobId") == jobId)];

    public static async Task<IReadOnlyList<JsonElement>> HistoryAsync(this TestUser user, string jobId) =>
        [.. (await (await user.Client.GetAsync($"/api/jobs/{jobId}/history")).Json()).EnumerateArray()];

    /// <summary>Sends <paramref name="json"/> exactly as written (malformed on purpose, if need be).</summary>
    public static Task<HttpResponseMessage> SendRawAsync(this TestUser user, HttpMethod method, string path, string? json = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return user.Client.SendAsync(request);
    }

    public static async Task<JobStatus> StatusAsync(this TestApp app, string jobId)
    {
        await using var db = app.Db();
        return await db.Jobs.Where(j => j.Id == jobId).Select(j => j.Status).FirstAsync();
    }
}
