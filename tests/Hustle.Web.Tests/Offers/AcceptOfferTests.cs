using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hustle.Domain.Jobs;
using Hustle.Web.Payments;
using Hustle.Web.Payments.Simulated;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Offers;

public partial class AcceptOfferTests(TestApp app) : IClassFixture<TestApp>
{
    [GeneratedRegex("^[0-9]{6}$")]
    private static partial Regex SixDigits();

    [Fact]
    public async Task A_flat_job_goes_from_register_to_SCHEDULED_at_the_offered_price_with_the_codes_for_the_customer_only()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");

        var posted = await customer.PostFlatJobAsync(amount: 5000);
        Assert.Equal(("OPEN", "FLAT", 5000L, "USD", customer.Id), (posted.Str("status"), posted.Str("pricingType"), posted.GetProperty("amount").GetInt64(), posted.Str("currency"), posted.Str("customerId")));
        Assert.Equal("123 Valencia St, Apt 4", posted.Str("location"));
        var jobId = posted.Str("id");

        var offer = await hustler.OfferAsync(jobId, proposedAmount: 4500, message: "Tomorrow at 9");
        Assert.Equal((jobId, hustler.Id, 4500L, "Tomorrow at 9", "PENDING"), (offer.Str("jobId"), offer.Str("hustlerId"), offer.GetProperty("proposedAmount").GetInt64(), offer.Str("message"), offer.Str("status")));
        Assert.Equal("REQUESTED", (await customer.GetJobAsync(jobId)).Str("status"));

        var scheduled = await customer.AcceptAsync(offer.Str("id"));

        Assert.Equal(("SCHEDULED", hustler.Id, 4500L, "AUTHORIZED", 4500L), (scheduled.Str("status"), scheduled.Str("hustlerId"), scheduled.GetProperty("amount").GetInt64(), scheduled.Str("paymentStatus"), scheduled.GetProperty("authorizedAmount").GetInt64()));
        Assert.Matches(SixDigits(), scheduled.Str("startCode"));
        Assert.Matches(SixDigits(), scheduled.Str("completionCode"));
        var hustlersView = await hustler.GetJobAsync(jobId);
        Assert.Equal(("SCHEDULED", "123 Valencia St, Apt 4"), (hustlersView.Str("status"), hustlersView.Str("location")));
        Assert.Equal(JsonValueKind.Null, hustlersView.GetProperty("startCode").ValueKind);
        Assert.Equal(JsonValueKind.Null, hustlersView.GetProperty("completionCode").ValueKind);

        await AssertStoredAsScheduledAsync(jobId, hustler, offer.Str("id"), scheduled, authorized: 4500);
        await AssertCodesReachOnlyTheCustomerAsync(jobId, customer, hustler, scheduled);
    }

    [Fact]
    public async Task An_hourly_job_goes_from_register_to_SCHEDULED_with_rate_times_estimate_on_hold()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");

        var posted = await customer.PostHourlyJobAsync(hourlyRate: 4000, estimatedHours: 2.5m);
        Assert.Equal(("OPEN", "HOURLY", 4000L, 2.5m), (posted.Str("status"), posted.Str("pricingType"), posted.GetProperty("hourlyRate").GetInt64(), posted.GetProperty("estimatedHours").GetDecimal()));
        Assert.Equal(JsonValueKind.Null, posted.GetProperty("amount").ValueKind);
        var jobId = posted.Str("id");
        var offer = await hustler.OfferAsync(jobId);

        var scheduled = await customer.AcceptAsync(offer.Str("id"));

        Assert.Equal(("SCHEDULED", hustler.Id, 4000L, 2.5m, "AUTHORIZED", 10000L), (scheduled.Str("status"), scheduled.Str("hustlerId"), scheduled.GetProperty("hourlyRate").GetInt64(), scheduled.GetProperty("estimatedHours").GetDecimal(), scheduled.Str("paymentStatus"), scheduled.GetProperty("authorizedAmount").GetInt64()));
        Assert.Matches(SixDigits(), scheduled.Str("startCode"));
        await AssertStoredAsScheduledAsync(jobId, hustler, offer.Str("id"), scheduled, authorized: 10000);
        await using var db = app.Db();
        var job = await db.Jobs.SingleAsync(j => j.Id == jobId);
        Assert.Equal((PricingType.Hourly, (long?)4000, (int?)150, (long?)null), (job.PricingType, job.HourlyRate, job.EstimatedMinutes, job.Amount));
        await AssertCodesReachOnlyTheCustomerAsync(jobId, customer, hustler, scheduled);
    }

    [Fact]
    public async Task Second_accept_of_the_same_job_gets_409_and_charges_nothing()
    {
        var customer = await app.CreateUserAsync("customer");
        var first = await app.CreateUserAsync("hustler");
        var second = await app.CreateUserAsync("hustler");
        var jobId = (await customer.PostFlatJobAsync()).Str("id");
        var firstOffer = await first.OfferAsync(jobId);
        var secondOffer = await second.OfferAsync(jobId);
        await customer.AcceptAsync(firstOffer.Str("id"));
        var before = await app.SnapshotAsync(jobId);

        var again = await customer.PostAsync($"/api/offers/{secondOffer.Str("id")}/accept");

        await again.Problem(409, "invalid_transition");
        Assert.Equal(before, await app.SnapshotAsync(jobId));
        await using var db = app.Db();
        Assert.Single(await db.Set<SimulatedHold>().Where(h => h.JobId == jobId).ToListAsync());
    }

    [Fact]
    public async Task Twenty_parallel_accepts_of_twenty_offers_schedule_the_job_once_and_void_every_losing_hold()
    {
        var customer = await app.CreateUserAsync("customer");
        var jobId = (await customer.PostFlatJobAsync(amount: 5000)).Str("id");
        var hustlers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => app.CreateUserAsync($"hustler{i}")));
        var offers = new List<(TestUser Hustler, string OfferId)>();
        foreach (var hustler in hustlers)
        {
            offers.Add((hustler, (await hustler.OfferAsync(jobId)).Str("id")));
        }

        using var go = new SemaphoreSlim(0);
        var racing = offers.Select(async o =>
        {
            await go.WaitAsync();
            return await customer.PostAsync($"/api/offers/{o.OfferId}/accept");
        }).ToList();
        go.Release(offers.Count);
        var answers = await Task.WhenAll(racing);

        var winners = answers.Select((a, i) => (Answer: a, Offer: offers[i])).Where(x => x.Answer.StatusCode == HttpStatusCode.OK).ToList();
        var winner = Assert.Single(winners).Offer;
        foreach (var loser in answers.Where(a => a.StatusCode != HttpStatusCode.OK))
        {
            var problem = JsonDocument.Parse(await loser.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(409, (int)loser.StatusCode);
            Assert.Contains(problem.Str("code"), new[] { "concurrency_conflict", "invalid_transition" });
        }

        var body = await winners[0].Answer.Json();
        Assert.Equal(("SCHEDULED", winner.Hustler.Id), (body.Str("status"), body.Str("hustlerId")));

        await using var db = app.Db();
        var job = await db.Jobs.Include(j => j.Offers).SingleAsync(j => j.Id == jobId);
        Assert.Equal((JobStatus.Scheduled, winner.Hustler.Id), (job.Status, job.HustlerId));
        Assert.Equal(OfferStatus.Accepted, job.Offers.Single(o => o.Id == winner.OfferId).Status);
        Assert.All(job.Offers.Where(o => o.Id != winner.OfferId), o => Assert.Equal(OfferStatus.Declined, o.Status));
        Assert.Single(await db.JobHistory.Where(h => h.JobId == jobId && h.Action == "ACCEPT_OFFER").ToListAsync());
        Assert.Equal(20, await db.JobHistory.CountAsync(h => h.JobId == jobId && h.Action == "MAKE_OFFER"));

        // The losers' offers were declined by the winner's accept, and their hustlers were told so.
        foreach (var (hustler, offerId) in offers.Where(o => o.OfferId != winner.OfferId))
        {
            var declined = Assert.Single(await hustler.EventsAsync(jobId, "OFFER_DECLINED"));
            Assert.Equal((offerId, "ANOTHER_OFFER_ACCEPTED"), (declined.GetProperty("data").Str("offerId"), declined.GetProperty("data").Str("reason")));
        }

        var holds = await db.Set<SimulatedHold>().Where(h => h.JobId == jobId).ToListAsync();
        var live = Assert.Single(holds, h => h.Status == SimulatedHoldStatus.RequiresCapture);
        Assert.All(holds.Where(h => h != live), h => Assert.Equal(SimulatedHoldStatus.Canceled, h.Status));
        var payment = await db.Set<Payment>().SingleAsync(p => p.JobId == jobId);
        Assert.Equal((live.Id, 5000L), (payment.HoldId, payment.AuthorizedAmount));
    }

    private async Task AssertStoredAsScheduledAsync(string jobId, TestUser hustler, string offerId, JsonElement answered, long authorized)
    {
        await using var db = app.Db();
        var job = await db.Jobs.Include(j => j.Offers).SingleAsync(j => j.Id == jobId);
        Assert.Equal((JobStatus.Scheduled, hustler.Id, PaymentStatus.Authorized, (long?)authorized), (job.Status, job.HustlerId, job.PaymentStatus, job.AuthorizedAmount));
        Assert.Equal((answered.Str("startCode"), answered.Str("completionCode")), (job.StartCode, job.CompletionCode));
        Assert.Equal(answered.GetProperty("version").GetInt32(), job.Version);
        Assert.Equal((offerId, OfferStatus.Accepted), (Assert.Single(job.Offers).Id, job.Offers[0].Status));
        var payment = await db.Set<Payment>().SingleAsync(p => p.JobId == jobId);
        var hold = await db.Set<SimulatedHold>().SingleAsync(h => h.JobId == jobId);
        Assert.Equal((hold.Id, authorized), (payment.HoldId, payment.AuthorizedAmount));
        Assert.Equal((SimulatedHoldStatus.RequiresCapture, authorized), (hold.Status, hold.Amount));
        var history = await db.JobHistory.Where(h => h.JobId == jobId).OrderBy(h => h.Id).Select(h => h.Action + " " + h.From + ">" + h.To).ToListAsync();
        Assert.Equal(["POST OPEN>OPEN", "MAKE_OFFER OPEN>REQUESTED", "ACCEPT_OFFER REQUESTED>SCHEDULED"], history);
    }

    private static async Task AssertCodesReachOnlyTheCustomerAsync(string jobId, TestUser customer, TestUser hustler, JsonElement scheduled)
    {
        var customersCopy = Assert.Single(await customer.EventsAsync(jobId, "JOB_ASSIGNED")).GetProperty("data");
        Assert.Equal((scheduled.Str("startCode"), scheduled.Str("completionCode")), (customersCopy.Str("startCode"), customersCopy.Str("completionCode")));
        var hustlersCopy = Assert.Single(await hustler.EventsAsync(jobId, "JOB_ASSIGNED")).GetProperty("data");
        Assert.Equal(hustler.Id, hustlersCopy.Str("hustlerId"));
        Assert.False(hustlersCopy.TryGetProperty("startCode", out _));
        Assert.False(hustlersCopy.TryGetProperty("completionCode", out _));
        var codes = new[] { scheduled.Str("startCode"), scheduled.Str("completionCode") };
        foreach (var e in await hustler.FeedAsync())
        {
            Assert.DoesNotContain(e.GetProperty("data").EnumerateObject(), p => p.Value.ValueKind == JsonValueKind.String && codes.Contains(p.Value.GetString()));
        }
    }
}
