using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Hustle.Web.Payments;
using Hustle.Web.Payments.Simulated;
using Hustle.Web.Tests.Lifecycle;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Hustle.Web.Tests.Payments;

/// <summary>
/// Many jobs at once, each pushed around by its customer and two hustlers in parallel, while the system moves the
/// clock and runs sweeps and an operator cancels disputes: random but seeded choices, biased towards progress and
/// mixed with actions the state does not allow. Whatever the interleaving, no request fails with a 5xx, and once
/// in-flight payments are reconciled the money invariants hold (the base class checks them, and the code watch).
/// </summary>
public sealed class RandomLifecycleTests(ITestOutputHelper output) : LifecycleTest
{
    private static readonly string[] Cards = [SimulatedGateway.Visa, SimulatedGateway.Visa, SimulatedGateway.NoIncremental, SimulatedGateway.CaptureFails, SimulatedGateway.ChargeDeclined];

    private readonly ConcurrentQueue<string> _serverErrors = new();
    private readonly ConcurrentDictionary<int, int> _statuses = new();

    [Theory]
    [InlineData(11)]
    [InlineData(22)]
    [InlineData(33)]
    [InlineData(44)]
    [InlineData(55)]
    [InlineData(66)]
    [InlineData(77)]
    [InlineData(88)]
    public async Task Random_parallel_actions_of_customers_hustlers_sweeps_and_an_operator_keep_the_money_invariants(int seed)
    {
        var random = new Random(seed);
        var op = await App.CreateOperatorAsync();
        var worlds = new List<World>();
        for (var i = 0; i < 8; i++)
        {
            var customer = Codes.Collecting(App, await App.CreateUserAsync("customer", Cards[random.Next(3)]));
            var hourly = random.Next(2) == 0;
            var job = hourly ? await customer.PostHourlyJobAsync(1000 + random.Next(5000), 1m + random.Next(8) / 4m) : await customer.PostFlatJobAsync(1000 + random.Next(9000));
            if (i % 2 == 0)
            {
                // The clock jumps by days in this test; half the jobs live long enough to be accepted, the rest may expire.
                await (await customer.Client.PatchAsJsonAsync($"/api/jobs/{job.Str("id")}", new { expiresAt = App.Clock.GetUtcNow().AddDays(300) })).Json();
            }

            worlds.Add(new World(job.Str("id"), hourly, customer, [await NewHustlerAsync(), await NewHustlerAsync()]));
        }

        var tasks = new List<Task>();
        foreach (var (world, i) in worlds.Select((w, i) => (w, i)))
        {
            tasks.Add(Task.Run(() => CustomerAsync(world, new Random(seed * 100 + i))));
            tasks.Add(Task.Run(() => HustlerAsync(world, world.Hustlers[0], new Random(seed * 100 + i + 10))));
            tasks.Add(Task.Run(() => HustlerAsync(world, world.Hustlers[1], new Random(seed * 100 + i + 20))));
        }

        tasks.Add(Task.Run(() => SystemAsync(new Random(seed + 1))));
        tasks.Add(Task.Run(() => OperatorAsync(op, worlds, new Random(seed + 2))));
        await Task.WhenAll(tasks);

        // Whatever was in flight when a race was lost is repaired once the grace has passed.
        App.Clock.Advance(PaymentReconciler.Grace + TimeSpan.FromSeconds(1));
        await App.Sweeper.ReconcilePaymentsAsync(CancellationToken.None);

        await using var db = App.Db();
        var ids = worlds.Select(w => w.JobId).ToList();
        var finals = await db.Jobs.Where(j => ids.Contains(j.Id)).Select(j => j.Status.ToString() + "/" + j.PaymentStatus.ToString()).ToListAsync();
        var actions = await db.JobHistory.Where(h => ids.Contains(h.JobId)).GroupBy(h => h.Action).Select(g => g.Key + "=" + g.Count()).ToListAsync();
        output.WriteLine($"final: {string.Join(", ", finals)}");
        output.WriteLine($"history: {string.Join(", ", actions)}");
        output.WriteLine($"answers: {string.Join(", ", _statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");
        Assert.True(_serverErrors.IsEmpty, "Server errors:\n" + string.Join("\n", _serverErrors));
        Assert.Contains(actions, a => a.StartsWith("ACCEPT_OFFER=", StringComparison.Ordinal));
        await MoneyInvariants.AssertMoneyInvariantsAsync(App);
    }

    private async Task CustomerAsync(World w, Random random)
    {
        for (var step = 0; step < 40; step++)
        {
            var job = await ReadAsync(w.Customer, $"/api/jobs/{w.JobId}");
            var status = job?.Str("status");
            if (job is { } seen)
            {
                w.Learn(seen);
            }

            var roll = random.Next(100);
            switch (status)
            {
                case "REQUESTED" when roll < 45:
                    var offers = await ReadAsync(w.Customer, $"/api/jobs/{w.JobId}/offers");
                    var pending = offers?.EnumerateArray().Where(o => o.Str("status") == "PENDING").Select(o => o.Str("id")).ToList() ?? [];
                    if (pending.Count > 0)
                    {
                        var offer = pending[random.Next(pending.Count)];
                        await SendAsync(w.Customer, $"/api/offers/{offer}/{(roll < 38 ? "accept" : "decline")}", null, roll < 10 ? $"accept-{offer}" : null);
                    }

                    break;
                case "AWAITING_CUSTOMER_CONFIRM" or "COMPLETED_BY_HUSTLER" when roll < 35:
                    var key = roll < 10 ? $"confirm-{w.JobId}-{step / 3}" : null;
                    await Task.WhenAll(Enumerable.Range(0, roll % 3 + 1).Select(_ => SendAsync(w.Customer, $"/api/jobs/{w.JobId}/confirm", null, key)));
                    break;
                case "AWAITING_CUSTOMER_CONFIRM" when roll < 45:
                    await SendAsync(w.Customer, $"/api/jobs/{w.JobId}/dispute", new { reason = "random" });
                    break;
                case "SCHEDULED" when roll < 40 && job?.GetProperty("pendingPriceProposal") is { ValueKind: JsonValueKind.Object } proposal && proposal.Str("proposedById") != w.Customer.Id:
                    await SendAsync(w.Customer, $"/api/price-proposals/{proposal.Str("id")}/{(roll < 30 ? "accept" : "decline")}", null);
                    break;
                case "SCHEDULED" when roll < 15:
                    await SendAsync(w.Customer, $"/api/jobs/{w.JobId}/price-proposals", w.Hourly ? new { hourlyRate = 500 + random.Next(8000) } : new { amount = 500 + random.Next(12000) });
                    break;
                default:
                    await NothingMuchAsync(w, w.Customer, random);
                    break;
            }
        }
    }

    private async Task HustlerAsync(World w, TestUser me, Random random)
    {
        for (var step = 0; step < 40; step++)
        {
            var job = await ReadAsync(me, $"/api/jobs/{w.JobId}");
            var status = job?.Str("status");
            var mine = job?.GetProperty("hustlerId").GetString() == me.Id;
            var roll = random.Next(100);
            switch (status)
            {
                case "OPEN" or "REQUESTED" when roll < 50:
                    await SendAsync(me, $"/api/jobs/{w.JobId}/offers", new { proposedAmount = w.Hourly || roll < 25 ? (long?)null : 500 + random.Next(9000), message = "me" });
                    break;
                case "REQUESTED" when roll < 55:
                    var own = (await ReadAsync(me, $"/api/jobs/{w.JobId}/offers"))?.EnumerateArray().FirstOrDefault(o => o.Str("status") == "PENDING");
                    if (own is { ValueKind: JsonValueKind.Object } offer)
                    {
                        await SendAsync(me, $"/api/offers/{offer.Str("id")}/withdraw", null);
                    }

                    break;
                case "SCHEDULED" when mine && roll < 40 && job?.GetProperty("pendingPriceProposal") is { ValueKind: JsonValueKind.Object } proposal && proposal.Str("proposedById") != me.Id:
                    await SendAsync(me, $"/api/price-proposals/{proposal.Str("id")}/{(roll < 30 ? "accept" : "decline")}", null);
                    break;
                case "SCHEDULED" when mine && roll < 15:
                    await SendAsync(me, $"/api/jobs/{w.JobId}/price-proposals", w.Hourly ? new { hourlyRate = 500 + random.Next(8000) } : new { amount = 500 + random.Next(12000) });
                    break;
                case "SCHEDULED" when mine && roll < 45:
                    await SendAsync(me, $"/api/jobs/{w.JobId}/start", new { code = roll < 40 ? w.StartCode ?? "000000" : Wrong(w.StartCode) });
                    break;
                case "IN_PROGRESS" when mine && roll < 70:
                    await SendAsync(me, $"/api/jobs/{w.JobId}/complete", new { code = roll < 62 ? w.CompletionCode ?? "000000" : Wrong(w.CompletionCode) });
                    break;
                case "COMPLETED_BY_HUSTLER" when mine && roll < 70:
                    await SendAsync(me, $"/api/jobs/{w.JobId}/request-payment", new { billableMinutes = roll < 20 && w.Hourly ? 15 + random.Next(60) : (int?)null });
                    break;
                default:
                    await NothingMuchAsync(w, me, random);
                    break;
            }
        }
    }

    /// <summary>Mostly a pause; sometimes a day or three pass, sometimes anything at all is tried.</summary>
    private async Task NothingMuchAsync(World w, TestUser user, Random random)
    {
        var roll = random.Next(100);
        if (roll < 4)
        {
            App.Clock.Advance(roll < 3 ? TimeSpan.FromHours(20) : TimeSpan.FromHours(73));
        }
        else if (roll < 30)
        {
            await AnythingAsync(w, user, random, roll);
        }
        else
        {
            await Task.Yield();
        }
    }

    /// <summary>Any action at all, allowed or not: the server must answer it with a 2xx or a 4xx and keep the money straight.</summary>
    private async Task AnythingAsync(World w, TestUser user, Random random, int roll)
    {
        var path = $"/api/jobs/{w.JobId}";
        switch (random.Next(9))
        {
            case 0:
                await SendAsync(user, $"{path}/unassign", new { reason = "random" });
                break;
            case 1:
                await SendAsync(user, $"{path}/cancel", null);
                break;
            case 2:
                await SendAsync(user, $"{path}/confirm", null);
                break;
            case 3:
                await SendAsync(user, $"{path}/dispute", null);
                break;
            case 4:
                await SendAsync(user, $"{path}/start", new { code = w.StartCode ?? "123456" });
                break;
            case 5:
                await SendAsync(user, $"{path}/request-payment", null);
                break;
            case 6 when user == w.Customer:
                var card = Cards[random.Next(Cards.Length)];
                Record("PUT payment-method", (int)(await user.Client.PutAsJsonAsync("/api/me/payment-method", new { paymentMethod = card })).StatusCode, "");
                break;
            case 7:
                await SendAsync(user, $"{path}/price-proposals", new { amount = 100 + roll });
                break;
            default:
                await ReadAsync(user, $"{path}/history");
                break;
        }
    }

    private async Task SystemAsync(Random random)
    {
        TimeSpan[] steps = [TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(20), TimeSpan.FromHours(2)];
        for (var step = 0; step < 60; step++)
        {
            App.Clock.Advance(steps[random.Next(steps.Length)]);

            // Not RunOnceAsync: its trim of day-old idempotency records would race requests the fake clock aged by days.
            var sweeper = App.Sweeper;
            await (random.Next(4) switch
            {
                0 => sweeper.ExpireJobsAsync(CancellationToken.None),
                1 => sweeper.AutoConfirmAsync(CancellationToken.None),
                2 => sweeper.RenewHoldsAsync(CancellationToken.None),
                _ => sweeper.ReconcilePaymentsAsync(CancellationToken.None),
            });
        }
    }

    private async Task OperatorAsync(TestUser op, List<World> worlds, Random random)
    {
        for (var step = 0; step < 60; step++)
        {
            await ReadAsync(op, "/api/me");
            await SendAsync(op, $"/api/jobs/{worlds[random.Next(worlds.Count)].JobId}/resolve-cancel", new { reason = "operator" });
        }
    }

    private async Task<JsonElement?> ReadAsync(TestUser user, string path)
    {
        var response = await user.Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Record($"GET {path}", (int)response.StatusCode, body);
        return response.IsSuccessStatusCode ? JsonDocument.Parse(body).RootElement.Clone() : null;
    }

    private async Task SendAsync(TestUser user, string path, object? body, string? idempotencyKey = null)
    {
        var response = await Steps.Send(user, path, body, idempotencyKey);
        Record($"POST {path}", (int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private void Record(string what, int status, string body)
    {
        _statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
        if (status >= 500)
        {
            _serverErrors.Enqueue($"{what} → {status} {body}");
        }
    }

    private static string Wrong(string? code) => code is null ? "999999" : ((int.Parse(code) + 7) % 1_000_000).ToString("D6");

    private sealed record World(string JobId, bool Hourly, TestUser Customer, TestUser[] Hustlers)
    {
        public string? StartCode { get; private set; }

        public string? CompletionCode { get; private set; }

        /// <summary>The customer reads the codes out to whoever is on site.</summary>
        public void Learn(JsonElement job)
        {
            if (job.GetProperty("startCode").GetString() is { } start)
            {
                StartCode = start;
            }

            if (job.GetProperty("completionCode").GetString() is { } completion)
            {
                CompletionCode = completion;
            }
        }
    }
}
