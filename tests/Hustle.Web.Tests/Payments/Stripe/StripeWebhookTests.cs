using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hustle.Domain.Jobs;
using Hustle.Web.Infrastructure;
using Hustle.Web.Payments;
using Hustle.Web.Payments.Stripe;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Payments.Stripe;

/// <summary>
/// <c>POST /api/payments/stripe/webhook</c> with deliveries signed in the test: each checks the payment record and what
/// both parties were told through the feed.
/// </summary>
public sealed class StripeWebhookTests(StripeFixture fixture) : IClassFixture<StripeFixture>
{
    private readonly StripeTestApp _app = fixture.App;

    [Fact]
    public async Task A_hold_that_lapsed_at_Stripe_is_recorded_as_voided_and_told_to_both_parties()
    {
        var (customer, hustler, jobId, holdId) = await ScheduledAsync();
        var canceled = Intent(holdId, i =>
        {
            i["status"] = "canceled";
            i["cancellation_reason"] = "automatic";
            i["amount_capturable"] = 0L;
        });

        var answer = await (await _app.DeliverAsync(Event("evt_lapsed_1", "payment_intent.canceled", canceled))).Json();

        Assert.Equal("applied", answer.Str("outcome"));
        Assert.Equal("0/0/5000/0", await PaymentAsync(jobId));
        Assert.Equal((PaymentStatus.Voided, (long?)null), await JobPaymentAsync(jobId));
        foreach (var user in new[] { customer, hustler })
        {
            var update = Assert.Single(await PaymentUpdatesAsync(user, jobId));
            Assert.Equal("VOIDED", update.GetProperty("data").Str("paymentStatus"));
            Assert.Contains("lapsed", update.GetProperty("data").Str("reason"));
        }

        await using var db = _app.Db();
        var recorded = await db.Set<StripeWebhookEvent>().SingleAsync(e => e.Id == "evt_lapsed_1");
        Assert.Equal((jobId, "applied"), (recorded.JobId, recorded.Outcome));
    }

    [Fact]
    public async Task A_delivery_signed_with_another_secret_is_400_and_changes_nothing()
    {
        var (customer, _, jobId, holdId) = await ScheduledAsync();
        var body = Event("evt_forged_1", "payment_intent.canceled", Intent(holdId, i => i["status"] = "canceled"));

        await (await _app.DeliverAsync(body, secret: "whsec_someone_else")).Problem(400, "invalid_signature");
        await (await DeliverUnsignedAsync(body)).Problem(400, "invalid_signature");

        Assert.Equal("5000/0/0/0", await PaymentAsync(jobId));
        Assert.Empty(await PaymentUpdatesAsync(customer, jobId));
        await using var db = _app.Db();
        Assert.False(await db.Set<StripeWebhookEvent>().AnyAsync(e => e.Id == "evt_forged_1"));
    }

    [Fact]
    public async Task A_signature_older_than_five_minutes_by_Hustles_clock_is_400()
    {
        var (customer, _, jobId, holdId) = await ScheduledAsync();
        var body = Event("evt_stale_1", "payment_intent.canceled", Intent(holdId, i => i["status"] = "canceled"));

        await (await _app.DeliverAsync(body, signedAt: _app.Clock.GetUtcNow().AddSeconds(-301))).Problem(400, "invalid_signature");

        Assert.Equal("5000/0/0/0", await PaymentAsync(jobId));
        Assert.Empty(await PaymentUpdatesAsync(customer, jobId));
        var fresh = await (await _app.DeliverAsync(body, signedAt: _app.Clock.GetUtcNow().AddSeconds(-299))).Json();
        Assert.Equal("applied", fresh.Str("outcome"));
    }

    [Fact]
    public async Task A_redelivered_event_is_applied_once()
    {
        var (customer, hustler, jobId, holdId) = await ScheduledAsync();
        var body = Event("evt_dashboard_capture_1", "payment_intent.succeeded", Intent(holdId, i =>
        {
            i["status"] = "succeeded";
            i["amount_received"] = 5000L;
            i["amount_capturable"] = 0L;
        }));

        var first = await (await _app.DeliverAsync(body)).Json();
        var again = await (await _app.DeliverAsync(body)).Json();

        Assert.Equal(("applied", "duplicate"), (first.Str("outcome"), again.Str("outcome")));
        Assert.Equal("5000/5000/0/0", await PaymentAsync(jobId));
        Assert.Equal((PaymentStatus.Captured, (long?)5000), await JobPaymentAsync(jobId));
        Assert.Equal("CAPTURED", Assert.Single(await PaymentUpdatesAsync(customer, jobId)).GetProperty("data").Str("paymentStatus"));
        Assert.Single(await PaymentUpdatesAsync(hustler, jobId));
    }

    [Fact]
    public async Task Events_older_than_the_record_change_nothing_when_they_arrive_late()
    {
        var (customer, _, jobId, holdId) = await ScheduledAsync();
        var refunded = Charge(holdId, captured: 5000, refunded: 5000);
        var captured = Charge(holdId, captured: 5000, refunded: 0);
        var capturable = Intent(holdId, i => i["amount_capturable"] = 5000L);

        var answers = new List<string>();
        foreach (var (id, type, data) in new[] { ("evt_ooo_refund", "charge.refunded", refunded), ("evt_ooo_capture", "charge.captured", captured), ("evt_ooo_capturable", "payment_intent.amount_capturable_updated", capturable) })
        {
            answers.Add((await (await _app.DeliverAsync(Event(id, type, data))).Json()).Str("outcome"));
        }

        Assert.Equal("applied", answers[0]);
        Assert.StartsWith("ignored: older than the record", answers[1]);
        Assert.StartsWith("ignored: older than the record", answers[2]);
        Assert.Equal("5000/5000/0/5000", await PaymentAsync(jobId));
        Assert.Equal((PaymentStatus.Refunded, (long?)5000), await JobPaymentAsync(jobId));
        Assert.Equal("REFUNDED", Assert.Single(await PaymentUpdatesAsync(customer, jobId)).GetProperty("data").Str("paymentStatus"));
    }

    [Fact]
    public async Task Events_from_Hustles_own_capture_arriving_after_it_change_nothing()
    {
        var (customer, hustler, jobId, holdId) = await ScheduledAsync();
        await Api.StartAsync(customer, hustler, jobId);
        await Api.CompleteAsync(customer, hustler, jobId);
        await (await customer.PostAsync($"/api/jobs/{jobId}/confirm")).Json();
        var paid = await PaymentAsync(jobId);

        var late = await (await _app.DeliverAsync(Event("evt_own_capturable", "payment_intent.amount_capturable_updated", Intent(holdId, i => i["amount_capturable"] = 5000L)))).Json();
        var own = await (await _app.DeliverAsync(Event("evt_own_succeeded", "payment_intent.succeeded", Intent(holdId, _ => { })))).Json();

        Assert.Equal("ignored: older than the record: the payment is settled", late.Str("outcome"));
        Assert.Equal("ignored: Hustle captured this payment itself", own.Str("outcome"));
        Assert.Equal("5000/5000/0/0", paid);
        Assert.Equal(paid, await PaymentAsync(jobId));
        Assert.Equal(JobStatus.Paid, await _app.StatusAsync(jobId));
        Assert.Empty(await PaymentUpdatesAsync(customer, jobId));
    }

    [Fact]
    public async Task An_event_that_races_Hustles_own_call_on_the_hold_is_sent_back_for_later()
    {
        var (customer, _, jobId, holdId) = await ScheduledAsync();
        await using (var db = _app.Db())
        {
            db.Add(new PaymentCall { JobId = jobId, Operation = "void", IdempotencyKey = $"job/{jobId}/void/{holdId}", Amount = 5000, HoldId = holdId, StartedAt = _app.Clock.GetUtcNow() });
            await db.SaveChangesAsync();
        }

        var response = await _app.DeliverAsync(Event("evt_race_1", "payment_intent.canceled", Intent(holdId, i => i["status"] = "canceled")));

        await response.Problem(409, "payment_in_flight");
        Assert.Equal("5000/0/0/0", await PaymentAsync(jobId));
        Assert.Empty(await PaymentUpdatesAsync(customer, jobId));
        await using var check = _app.Db();
        Assert.False(await check.Set<StripeWebhookEvent>().AnyAsync(e => e.Id == "evt_race_1"));
    }

    [Fact]
    public async Task An_event_about_a_payment_Hustle_does_not_know_is_acknowledged_and_kept()
    {
        var answer = await (await _app.DeliverAsync(Event("evt_foreign_1", "payment_intent.canceled", new JsonObject { ["id"] = "pi_not_hustles", ["object"] = "payment_intent", ["status"] = "canceled" }))).Json();

        Assert.Equal("ignored: not about a Hustle payment", answer.Str("outcome"));
    }

    [Fact]
    public async Task A_delivery_over_the_webhook_cap_is_413_before_its_signature_is_checked_and_changes_nothing()
    {
        var (customer, _, jobId, holdId) = await ScheduledAsync();
        var body = Event("evt_huge_1", "payment_intent.canceled", Intent(holdId, i =>
        {
            i["status"] = "canceled";
            i["metadata"] = new JsonObject { ["pad"] = new string('x', (int)BodyLimits.DefaultStripeWebhookBytes) };
        }));

        var problem = await (await _app.DeliverAsync(body)).Problem(413, "payload_too_large");

        Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.5.14", problem.Str("type"));
        Assert.Equal("5000/0/0/0", await PaymentAsync(jobId));
        Assert.Empty(await PaymentUpdatesAsync(customer, jobId));
        await using var db = _app.Db();
        Assert.False(await db.Set<StripeWebhookEvent>().AnyAsync(e => e.Id == "evt_huge_1"));
    }

    [Fact]
    public async Task A_delivery_larger_than_the_API_cap_but_within_the_webhook_cap_is_applied()
    {
        var (_, _, jobId, holdId) = await ScheduledAsync();
        var body = Event("evt_large_1", "payment_intent.canceled", Intent(holdId, i =>
        {
            i["status"] = "canceled";
            i["metadata"] = new JsonObject { ["pad"] = new string('x', 200_000) };
        }));

        Assert.Equal("applied", (await (await _app.DeliverAsync(body)).Json()).Str("outcome"));
        Assert.Equal("0/0/5000/0", await PaymentAsync(jobId));
    }

    private async Task<(TestUser Customer, TestUser Hustler, string JobId, string HoldId)> ScheduledAsync()
    {
        var customer = await _app.CreateUserAsync("customer");
        var hustler = await _app.CreateUserAsync("hustler");
        var (jobId, _) = await Api.ScheduledFlatJobAsync(customer, hustler);
        await using var db = _app.Db();
        var holdId = await db.Set<Payment>().Where(p => p.JobId == jobId).Select(p => p.HoldId!).SingleAsync();
        return (customer, hustler, jobId, holdId);
    }

    /// <summary>Authorized/captured/voided/refunded as the payment record holds them.</summary>
    private async Task<string> PaymentAsync(string jobId)
    {
        await using var db = _app.Db();
        var p = await db.Set<Payment>().AsNoTracking().SingleAsync(x => x.JobId == jobId);
        return $"{p.AuthorizedAmount}/{p.CapturedAmount}/{p.VoidedAmount}/{p.RefundedAmount}";
    }

    private async Task<(PaymentStatus, long?)> JobPaymentAsync(string jobId)
    {
        await using var db = _app.Db();
        var job = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId);
        return (job.PaymentStatus, job.CapturedAmount);
    }

    private static async Task<List<JsonElement>> PaymentUpdatesAsync(TestUser user, string jobId)
    {
        var feed = await user.Client.GetFromJsonAsync<JsonElement>("/api/feed?after=0&limit=500");
        return [.. feed.GetProperty("events").EnumerateArray().Where(e => e.Str("jobId") == jobId && e.Str("type") == "PAYMENT_UPDATED")];
    }

    /// <summary>The intent as Stripe would send it in an event (its charge as an id), changed by <paramref name="change"/>.</summary>
    private JsonObject Intent(string holdId, Action<JsonObject> change)
    {
        var intent = fixture.Stripe.Intent(holdId);
        intent["latest_charge"] = intent["latest_charge"]!["id"]!.GetValue<string>();
        change(intent);
        return intent;
    }

    private JsonObject Charge(string holdId, long captured, long refunded)
    {
        var charge = (JsonObject)fixture.Stripe.Intent(holdId)["latest_charge"]!.DeepClone();
        charge["amount_captured"] = captured;
        charge["amount_refunded"] = refunded;
        charge["captured"] = captured > 0;
        charge["refunded"] = refunded > 0 && refunded == captured;
        return charge;
    }

    private string Event(string id, string type, JsonObject data) => new JsonObject
    {
        ["id"] = id,
        ["object"] = "event",
        ["api_version"] = "2026-10-28.endive",
        ["created"] = _app.Clock.GetUtcNow().ToUnixTimeSeconds(),
        ["livemode"] = false,
        ["pending_webhooks"] = 1,
        ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
        ["type"] = type,
        ["data"] = new JsonObject { ["object"] = data },
    }.ToJsonString();

    private Task<HttpResponseMessage> DeliverUnsignedAsync(string body) =>
        _app.CreateClient().PostAsync("/api/payments/stripe/webhook", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
}
