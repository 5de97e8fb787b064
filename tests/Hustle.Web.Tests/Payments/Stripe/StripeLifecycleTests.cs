using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hustle.Web.Payments;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Payments.Stripe;

/// <summary>Hustle on the simulated gateway and Hustle on Stripe (the fake), side by side.</summary>
public sealed class GatewayPair : IDisposable
{
    public TestApp Simulated { get; } = new();

    public StripeFixture Stripe { get; } = new();

    public void Dispose()
    {
        Simulated.Dispose();
        Stripe.Dispose();
    }
}

/// <summary>
/// The same job lives, driven through the HTTP API, end the same way with the Stripe gateway on the fake as with the
/// simulated gateway: job, history, what each party's feed says, the payment record and the journal of gateway calls.
/// </summary>
public sealed class StripeLifecycleTests(GatewayPair apps) : IClassFixture<GatewayPair>
{
    [Theory]
    [InlineData("pm_card_visa")]
    [InlineData("pm_card_noIncremental")]
    public async Task A_flat_job_from_accept_to_paid_ends_the_same_on_Stripe_as_on_the_simulated_gateway(string paymentMethod)
    {
        var simulated = await FlatJobToPaidAsync(apps.Simulated, paymentMethod);
        var stripe = await FlatJobToPaidAsync(apps.Stripe.App, paymentMethod);

        Assert.Equal(simulated, stripe);
        Assert.Contains("job=Paid/Captured amount=6000 authorized=7000 captured=6000", stripe);
    }

    [Fact]
    public async Task The_money_really_moved_at_Stripe_as_the_record_says()
    {
        await FlatJobToPaidAsync(apps.Stripe.App, "pm_card_noIncremental");
        var requests = apps.Stripe.Stripe.Requests.Where(r => r.Method == "POST").Select(r => r.Path).ToList();

        Assert.Equal(["/v1/payment_intents", "/v1/payment_intents", "/cancel", "/capture"], requests.TakeLast(4).Select(p => p.StartsWith("/v1/payment_intents/", StringComparison.Ordinal) ? p[p.LastIndexOf('/')..] : p));
    }

    [Fact]
    public async Task Unassigning_voids_the_hold_the_same_on_both()
    {
        Assert.Equal(await AcceptThenUnassignAsync(apps.Simulated), await AcceptThenUnassignAsync(apps.Stripe.App));
    }

    [Fact]
    public async Task A_hold_about_to_lapse_is_renewed_the_same_on_both_and_the_old_one_is_released_at_Stripe()
    {
        Assert.Equal(await RenewedHoldAsync(apps.Simulated), await RenewedHoldAsync(apps.Stripe.App));
        var renewal = apps.Stripe.Stripe.Requests.Where(r => r.Method == "POST").TakeLast(2).ToList();
        Assert.Equal("/v1/payment_intents", renewal[0].Path);
        Assert.EndsWith("/cancel", renewal[1].Path);
        Assert.Equal($"{renewal[0].IdempotencyKey}/void-replaced", renewal[1].IdempotencyKey);
    }

    [Fact]
    public async Task A_declined_card_refuses_the_accept_the_same_on_both()
    {
        Assert.Equal(await DeclinedAcceptAsync(apps.Simulated), await DeclinedAcceptAsync(apps.Stripe.App));
    }

    private static async Task<string> FlatJobToPaidAsync(TestApp app, string paymentMethod)
    {
        var customer = await app.CreateUserAsync("customer", paymentMethod);
        var hustler = await app.CreateUserAsync("hustler");
        var (jobId, _) = await Api.ScheduledFlatJobAsync(customer, hustler, amount: 5000);

        var raise = await (await hustler.PostAsync($"/api/jobs/{jobId}/price-proposals", new { amount = 7000 })).Json(HttpStatusCode.Created);
        await (await customer.PostAsync($"/api/price-proposals/{raise.Str("id")}/accept")).Json();
        var lower = await (await customer.PostAsync($"/api/jobs/{jobId}/price-proposals", new { amount = 6000 })).Json(HttpStatusCode.Created);
        await (await hustler.PostAsync($"/api/price-proposals/{lower.Str("id")}/accept")).Json();
        await Api.StartAsync(customer, hustler, jobId);
        await Api.CompleteAsync(customer, hustler, jobId);
        await (await customer.PostAsync($"/api/jobs/{jobId}/confirm")).Json();

        return await OutcomeAsync(app, jobId, customer, hustler);
    }

    private static async Task<string> AcceptThenUnassignAsync(TestApp app)
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var (jobId, _) = await Api.ScheduledFlatJobAsync(customer, hustler, amount: 4000);
        await (await hustler.PostAsync($"/api/jobs/{jobId}/unassign", new { reason = "Sick" })).Json();
        return await OutcomeAsync(app, jobId, customer, hustler);
    }

    private static async Task<string> RenewedHoldAsync(TestApp app)
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var (jobId, _) = await Api.ScheduledFlatJobAsync(customer, hustler, amount: 4500);
        app.Clock.Advance(TimeSpan.FromDays(6.5));
        await app.Sweeper.RenewHoldsAsync(CancellationToken.None);
        return await OutcomeAsync(app, jobId, customer, hustler);
    }

    private static async Task<string> DeclinedAcceptAsync(TestApp app)
    {
        var customer = await app.CreateUserAsync("customer", "pm_card_chargeDeclined");
        var hustler = await app.CreateUserAsync("hustler");
        var job = await customer.PostFlatJobAsync(3000);
        var offer = await hustler.OfferAsync(job.Str("id"));
        var refused = await (await customer.PostAsync($"/api/offers/{offer.Str("id")}/accept")).Problem(402, "payment_declined");
        await using var db = app.Db();
        var calls = await db.Set<PaymentCall>().AsNoTracking().Where(c => c.JobId == job.Str("id")).Select(c => $"{c.Operation}:{c.State}").ToListAsync();
        return $"{refused.Str("code")} status={await app.StatusAsync(job.Str("id"))} calls=[{string.Join(",", calls)}]";
    }

    /// <summary>Everything a person or an auditor could see about the job, without the ids that differ between runs.</summary>
    private static async Task<string> OutcomeAsync(TestApp app, string jobId, TestUser customer, TestUser hustler)
    {
        await using var db = app.Db();
        var job = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId);
        var history = await db.JobHistory.AsNoTracking().Where(h => h.JobId == jobId).OrderBy(h => h.Id).Select(h => $"{h.Action}:{h.To}").ToListAsync();
        var payment = await db.Set<Payment>().AsNoTracking().SingleAsync(p => p.JobId == jobId);
        var calls = await db.Set<PaymentCall>().AsNoTracking().Where(c => c.JobId == jobId).OrderBy(c => c.Id)
            .Select(c => $"{c.Operation}:{c.State}:{c.Amount}{(c.ReplacedHoldId != null ? ":replaced" : "")}").ToListAsync();
        return string.Join("\n",
            $"job={job.Status}/{job.PaymentStatus} amount={job.Amount} authorized={job.AuthorizedAmount} captured={job.CapturedAmount} final={job.FinalAmount}",
            $"history={string.Join(",", history)}",
            $"customer feed={await FeedAsync(customer, jobId)}",
            $"hustler feed={await FeedAsync(hustler, jobId)}",
            $"payment={payment.AuthorizedAmount}/{payment.CapturedAmount}/{payment.VoidedAmount}/{payment.RefundedAmount} held={payment.HoldId is not null} expires={payment.HoldExpiresAt?.ToUnixTimeSeconds()}",
            $"calls={string.Join(",", calls)}");
    }

    private static async Task<string> FeedAsync(TestUser user, string jobId)
    {
        var feed = await user.Client.GetFromJsonAsync<JsonElement>("/api/feed?after=0&limit=500");
        return string.Join(",", feed.GetProperty("events").EnumerateArray().Where(e => e.Str("jobId") == jobId).Select(e => e.Str("type")));
    }
}
