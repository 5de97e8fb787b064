using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Hustle.StepCost;

/// <summary>One job on its way through its life, and the ids and codes its later steps need.</summary>
public sealed class BenchJob(BenchUser customer, BenchUser hustler)
{
    public BenchUser Customer { get; } = customer;

    public BenchUser Hustler { get; } = hustler;

    public string Id { get; set; } = "";

    public string OfferId { get; set; } = "";

    public string StartCode { get; set; } = "";

    public string CompletionCode { get; set; } = "";
}

/// <summary>A kind of step, as a person takes it over the HTTP contract.</summary>
public sealed record Step(string Name, Func<BenchJob, Task> Run);

/// <summary>
/// The steps of a lifecycle: post, offer, accept, a read of the job, start, complete, request payment (hourly jobs;
/// a flat job's completion requests it by itself) and confirm. With <c>keys</c> every change carries an
/// <c>Idempotency-Key</c>, as the web client sends it.
/// </summary>
public static class Lifecycle
{
    public static IReadOnlyList<Step> Steps(bool hourly, bool keys)
    {
        var steps = new List<Step>
        {
            new("post", async j => j.Id = (await Send(j.Customer, HttpMethod.Post, "/api/jobs", hourly ? HourlyJob : FlatJob, HttpStatusCode.Created, keys)).GetProperty("id").GetString()!),
            new("offer", async j => j.OfferId = (await Send(j.Hustler, HttpMethod.Post, $"/api/jobs/{j.Id}/offers", hourly ? new { message = "I can do it" } : new { proposedAmount = 4500L }, HttpStatusCode.Created, keys)).GetProperty("id").GetString()!),
            new("accept", async j =>
            {
                var job = await Send(j.Customer, HttpMethod.Post, $"/api/offers/{j.OfferId}/accept", null, HttpStatusCode.OK, keys);
                j.StartCode = job.GetProperty("startCode").GetString()!;
                j.CompletionCode = job.GetProperty("completionCode").GetString()!;
            }),
            new("get", j => Send(j.Customer, HttpMethod.Get, $"/api/jobs/{j.Id}", null, HttpStatusCode.OK, keys: false)),
            new("start", j => Send(j.Hustler, HttpMethod.Post, $"/api/jobs/{j.Id}/start", new { code = j.StartCode }, HttpStatusCode.OK, keys)),
            new("complete", j => Send(j.Hustler, HttpMethod.Post, $"/api/jobs/{j.Id}/complete", new { code = j.CompletionCode }, HttpStatusCode.OK, keys)),
        };
        if (hourly)
        {
            steps.Add(new("request-payment", j => Send(j.Hustler, HttpMethod.Post, $"/api/jobs/{j.Id}/request-payment", new { }, HttpStatusCode.OK, keys)));
        }

        steps.Add(new("confirm", j => Send(j.Customer, HttpMethod.Post, $"/api/jobs/{j.Id}/confirm", null, HttpStatusCode.OK, keys)));
        return steps;
    }

    private static readonly object FlatJob = new
    {
        title = "Fix the sink",
        description = "Kitchen sink leaks",
        area = "Mission",
        location = "123 Valencia St",
        pricingType = "FLAT",
        amount = 5000L,
        currency = "USD",
    };

    private static readonly object HourlyJob = new
    {
        title = "Garden work",
        description = "Weeding",
        area = "Sunset",
        location = "9 Irving St",
        pricingType = "HOURLY",
        hourlyRate = 4000L,
        estimatedHours = 3m,
        currency = "USD",
    };

    private static async Task<JsonElement> Send(BenchUser user, HttpMethod method, string path, object? body, HttpStatusCode expected, bool keys)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (keys)
        {
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        }

        using var response = await user.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
