using System.Net;
using System.Text.Json;

namespace Hustle.Web.Tests.Jobs;

/// <summary>
/// <c>allowedActions</c> over HTTP: at each state of a job's life, each person's view lists what they may do, and
/// the job event each of them received last carries the same list, their own.
/// </summary>
public class AllowedActionsTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task Each_party_sees_their_own_actions_in_the_view_and_in_the_event_at_every_state_of_a_flat_job()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var other = await app.CreateUserAsync("hustler");
        var outsider = await app.CreateUserAsync("outsider");

        var jobId = (await customer.PostFlatJobAsync()).Str("id");
        await Expect(jobId, customer, "CANCEL", "EDIT");
        await ExpectView(jobId, outsider, "MAKE_OFFER", "OPEN_THREAD");

        var offer = (await hustler.OfferAsync(jobId)).Str("id");
        var otherOffer = (await other.OfferAsync(jobId)).Str("id");
        await Expect(jobId, customer, $"DECLINE_OFFER {offer}", $"DECLINE_OFFER {otherOffer}", $"ACCEPT_OFFER {offer}", $"ACCEPT_OFFER {otherOffer}", "CANCEL", "EDIT");
        await Expect(jobId, hustler, $"WITHDRAW_OFFER {offer}", "OPEN_THREAD");
        await Expect(jobId, other, $"WITHDRAW_OFFER {otherOffer}", "OPEN_THREAD");
        await ExpectView(jobId, outsider, "MAKE_OFFER", "OPEN_THREAD");

        await customer.AcceptAsync(offer);
        await Expect(jobId, customer, "UNASSIGN", "EDIT", "PROPOSE_PRICE");
        await Expect(jobId, hustler, "UNASSIGN", "VERIFY_START_CODE", "PROPOSE_PRICE", "OPEN_THREAD");
        Assert.Empty(Actions(Assert.Single(await other.EventsAsync(jobId, "OFFER_DECLINED")).GetProperty("data")));
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Client.GetAsync($"/api/jobs/{jobId}")).StatusCode);

        var proposal = await (await hustler.PostAsync($"/api/jobs/{jobId}/price-proposals", new { amount = 6000 })).Json(HttpStatusCode.Created);
        await Expect(jobId, customer, "UNASSIGN", "EDIT", "PROPOSE_PRICE", $"ANSWER_PRICE_PROPOSAL {proposal.Str("id")}");
        await Expect(jobId, hustler, "UNASSIGN", "VERIFY_START_CODE", "PROPOSE_PRICE", "OPEN_THREAD");
        await (await customer.PostAsync($"/api/price-proposals/{proposal.Str("id")}/decline")).Json();

        await Api.StartAsync(customer, hustler, jobId);
        await Expect(jobId, customer);
        await Expect(jobId, hustler, "VERIFY_COMPLETION_CODE", "OPEN_THREAD");

        await Api.CompleteAsync(customer, hustler, jobId);
        await Expect(jobId, customer, "CONFIRM_AND_PAY", "DISPUTE");
        await Expect(jobId, hustler, "OPEN_THREAD");

        await (await customer.PostAsync($"/api/jobs/{jobId}/dispute", new { reason = "Still drips" })).Json();
        await Expect(jobId, customer, "CONFIRM_AND_PAY");
        await Expect(jobId, hustler, "OPEN_THREAD");

        await (await customer.PostAsync($"/api/jobs/{jobId}/confirm")).Json();
        await Expect(jobId, customer);
        await Expect(jobId, hustler, "OPEN_THREAD");
    }

    [Fact]
    public async Task An_hourly_job_asks_the_hustler_for_billable_minutes_and_each_action_says_what_it_needs()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var (jobId, scheduled) = await Api.ScheduledHourlyJobAsync(customer, hustler);

        var edit = Assert.Single(scheduled.GetProperty("allowedActions").EnumerateArray(), a => a.Str("action") == "EDIT");
        Assert.DoesNotContain("hourlyRate", Fields(edit, "optional"));
        var start = Assert.Single((await hustler.GetJobAsync(jobId)).GetProperty("allowedActions").EnumerateArray(), a => a.Str("action") == "VERIFY_START_CODE");
        Assert.Equal(["code"], Fields(start, "needs"));
        Assert.Equal(JsonValueKind.Null, start.GetProperty("availableFrom").ValueKind);
        var propose = Assert.Single((await customer.GetJobAsync(jobId)).GetProperty("allowedActions").EnumerateArray(), a => a.Str("action") == "PROPOSE_PRICE");
        Assert.Equal(["hourlyRate"], Fields(propose, "needs"));

        await Api.StartAsync(customer, hustler, jobId);
        app.Clock.Advance(TimeSpan.FromMinutes(50));
        await Api.CompleteAsync(customer, hustler, jobId);

        await Expect(jobId, customer, "CONFIRM_AND_PAY");
        await Expect(jobId, hustler, "REQUEST_PAYMENT", "OPEN_THREAD");
        var request = Assert.Single((await hustler.GetJobAsync(jobId)).GetProperty("allowedActions").EnumerateArray(), a => a.Str("action") == "REQUEST_PAYMENT");
        Assert.Equal((string[])[], Fields(request, "needs"));
        Assert.Equal(["billableMinutes"], Fields(request, "optional"));
    }

    [Fact]
    public async Task The_lists_of_jobs_carry_each_viewers_actions_too()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var jobId = (await customer.PostFlatJobAsync(title: "Paint the fence")).Str("id");

        var mine = await (await customer.Client.GetAsync("/api/jobs/mine")).Json();
        var browse = await (await hustler.Client.GetAsync("/api/jobs?limit=100")).Json();

        Assert.Equal(["CANCEL", "EDIT"], Actions(Assert.Single(mine.GetProperty("jobs").EnumerateArray(), j => j.Str("id") == jobId)));
        var offered = Assert.Single(browse.EnumerateArray(), j => j.Str("id") == jobId);
        Assert.Equal(["MAKE_OFFER", "OPEN_THREAD"], Actions(offered));
        Assert.Equal(offered.GetProperty("expiresAt").GetDateTimeOffset(), offered.GetProperty("allowedActions")[0].GetProperty("availableUntil").GetDateTimeOffset());
    }

    /// <summary>The view and the last event about the job in the person's feed both list exactly <paramref name="expected"/>.</summary>
    private static async Task Expect(string jobId, TestUser person, params string[] expected)
    {
        await ExpectView(jobId, person, expected);
        var last = (await person.FeedAsync()).Last(e => e.Str("jobId") == jobId);
        Assert.Equal(expected, Actions(last.GetProperty("data")));
    }

    private static async Task ExpectView(string jobId, TestUser person, params string[] expected) =>
        Assert.Equal(expected, Actions(await person.GetJobAsync(jobId)));

    /// <summary>Each allowed action as <c>ACTION</c>, or <c>ACTION id</c> when it is about one offer or proposal.</summary>
    private static string[] Actions(JsonElement holder) =>
        [.. holder.GetProperty("allowedActions").EnumerateArray().Select(a =>
            (a.GetProperty("offerId").GetString() ?? a.GetProperty("proposalId").GetString()) is { } target ? $"{a.Str("action")} {target}" : a.Str("action"))];

    private static string[] Fields(JsonElement action, string name) => [.. action.GetProperty(name).EnumerateArray().Select(f => f.GetString()!)];
}
