using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Hustle.Web.Tests.Payments;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Lifecycle;

/// <summary>
/// One app, one customer and one hustler per test. Every answer the hustler gets is kept, and every code the
/// customer is shown is collected; after the test the hustler's job, offers, history and feed are read once more,
/// and none of it may carry a code. Then the money invariants are checked against the stored state.
/// </summary>
public abstract class LifecycleTest : IAsyncLifetime
{
    private readonly List<TestUser> _hustlers = [];

    protected LifecycleTest(TestApp? app = null)
    {
        App = app ?? new TestApp();
    }

    protected TestApp App { get; }

    protected TestUser Customer { get; private set; } = null!;

    protected TestUser Hustler { get; private set; } = null!;

    protected CodeWatch Codes { get; } = new();

    public virtual async Task InitializeAsync()
    {
        Customer = Codes.Collecting(App, await App.CreateUserAsync("customer"));
        Hustler = await NewHustlerAsync();
    }

    public async Task DisposeAsync()
    {
        try
        {
            foreach (var hustler in _hustlers)
            {
                await Codes.AssertNoCodeReachedAsync(App, hustler);
            }

            await MoneyInvariants.AssertMoneyInvariantsAsync(App);
        }
        finally
        {
            await App.DisposeAsync();
        }
    }

    /// <summary>A hustler whose every answer is recorded for the code check at the end.</summary>
    protected async Task<TestUser> NewHustlerAsync(string paymentMethod = "pm_card_visa")
    {
        var hustler = Codes.Recording(App, await App.CreateUserAsync("hustler", paymentMethod));
        _hustlers.Add(hustler);
        return hustler;
    }

    /// <summary>A flat job the hustler has finished: completion code entered, payment requested at once (AWAITING_CUSTOMER_CONFIRM).</summary>
    protected async Task<string> FinishedFlatJobAsync(long amount = 5000)
    {
        var (jobId, _) = await Api.ScheduledFlatJobAsync(Customer, Hustler, amount);
        await Api.StartAsync(Customer, Hustler, jobId);
        var done = await Api.CompleteAsync(Customer, Hustler, jobId);
        Assert.Equal("AWAITING_CUSTOMER_CONFIRM", done.Str("status"));
        return jobId;
    }
}

/// <summary>Collects every code the customer is shown and every answer a hustler gets, and checks they never meet.</summary>
public sealed class CodeWatch
{
    private readonly ConcurrentDictionary<string, byte> _codes = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _answers = new();

    public IReadOnlyCollection<string> Seen => [.. _codes.Keys];

    /// <summary>The user with a client that harvests <c>startCode</c>/<c>completionCode</c> from every answer.</summary>
    public TestUser Collecting(TestApp app, TestUser user) => Wrap(app, user, body => Harvest(body));

    /// <summary>The user with a client that keeps every answer body.</summary>
    public TestUser Recording(TestApp app, TestUser user)
    {
        var answers = _answers.GetOrAdd(user.Id, _ => new ConcurrentQueue<string>());
        return Wrap(app, user, answers.Enqueue);
    }

    /// <summary>
    /// Reads the hustler's view of every job they touched (job, offers, history, /api/jobs/mine, the whole feed) and
    /// checks it and every answer they got before: no code the customer was shown, no non-null code field.
    /// </summary>
    public async Task AssertNoCodeReachedAsync(TestApp app, TestUser hustler)
    {
        await using (var db = app.Db())
        {
            foreach (var code in await db.Jobs.Where(j => j.StartCode != null).Select(j => new[] { j.StartCode!, j.CompletionCode! }).ToListAsync())
            {
                _codes.TryAdd(code[0], 0);
                _codes.TryAdd(code[1], 0);
            }
        }

        var client = hustler.Client;
        var feed = await client.GetStringAsync("/api/feed?after=0&limit=500");
        var jobIds = JsonDocument.Parse(feed).RootElement.GetProperty("events").EnumerateArray()
            .Select(e => e.GetProperty("jobId").GetString()).OfType<string>().Distinct().ToList();
        await client.GetStringAsync("/api/jobs/mine");
        foreach (var jobId in jobIds)
        {
            foreach (var path in new[] { $"/api/jobs/{jobId}", $"/api/jobs/{jobId}/offers", $"/api/jobs/{jobId}/history" })
            {
                await client.GetAsync(path);
            }
        }

        var answers = _answers.TryGetValue(hustler.Id, out var kept) ? kept.ToList() : [];
        Assert.NotEmpty(answers);
        foreach (var body in answers)
        {
            foreach (var code in _codes.Keys)
            {
                Assert.False(body.Contains($"\"{code}\"", StringComparison.Ordinal), $"A hustler was shown the code {code}: {body}");
            }

            Assert.False(HasCodeField(body), $"A hustler's answer carries a code field: {body}");
        }
    }

    private void Harvest(string body)
    {
        foreach (var (_, value) in CodeFields(body))
        {
            _codes.TryAdd(value, 0);
        }
    }

    private static bool HasCodeField(string body) => CodeFields(body).Count > 0;

    private static List<(string Name, string Value)> CodeFields(string body)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            return [];
        }

        var found = new List<(string, string)>();
        Walk(root, found);
        return found;
    }

    private static void Walk(JsonElement e, List<(string, string)> found)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in e.EnumerateObject())
            {
                if (p.Name is "startCode" or "completionCode" && p.Value.ValueKind == JsonValueKind.String)
                {
                    found.Add((p.Name, p.Value.GetString()!));
                }

                Walk(p.Value, found);
            }
        }
        else if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in e.EnumerateArray())
            {
                Walk(item, found);
            }
        }
    }

    private static TestUser Wrap(TestApp app, TestUser user, Action<string> onAnswer)
    {
        var client = app.CreateDefaultClient(new AnswerTap(onAnswer));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        return user with { Client = client };
    }

    private sealed class AnswerTap(Action<string> onAnswer) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            onAnswer(await response.Content.ReadAsStringAsync(cancellationToken));
            return response;
        }
    }
}

/// <summary>Lifecycle calls beyond the shared <see cref="Api"/> steps.</summary>
public static class Steps
{
    public static Task<HttpResponseMessage> ConfirmAsync(this TestUser customer, string jobId, string? idempotencyKey = null) =>
        Send(customer, $"/api/jobs/{jobId}/confirm", null, idempotencyKey);

    public static Task<HttpResponseMessage> RequestPaymentAsync(this TestUser hustler, string jobId, int? billableMinutes = null) =>
        hustler.PostAsync($"/api/jobs/{jobId}/request-payment", new { billableMinutes });

    public static async Task SetPaymentMethodAsync(this TestUser user, string paymentMethod) =>
        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.PutAsJsonAsync("/api/me/payment-method", new { paymentMethod })).StatusCode);

    public static async Task<List<JsonElement>> FeedAsync(this TestUser user, string? jobId = null)
    {
        var feed = await (await user.Client.GetAsync("/api/feed?after=0&limit=500")).Json();
        return [.. feed.GetProperty("events").EnumerateArray().Where(e => jobId is null || e.GetProperty("jobId").GetString() == jobId)];
    }

    public static async Task<List<JsonElement>> HistoryAsync(this TestUser user, string jobId) =>
        [.. (await (await user.Client.GetAsync($"/api/jobs/{jobId}/history")).Json()).EnumerateArray()];

    public static Task<HttpResponseMessage> Send(TestUser user, string path, object? body, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return user.Client.SendAsync(request);
    }

    public static long Long(this JsonElement e, string name) => e.GetProperty(name).GetInt64();
}
