using System.Net;
using Hustle.Domain.Jobs;
using Hustle.Web.Payments.Simulated;
using Hustle.Web.Tests;
using Hustle.Web.Tests.Lifecycle;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Scale.Tests;

/// <summary>Two requests racing on one job through two different nodes: exactly one wins, the other gets 409, nothing is applied twice.</summary>
public sealed class RacesAcrossNodesTests : ClusterTest
{
    private const int Rounds = 6;

    [Fact]
    public async Task Two_accepts_of_different_offers_sent_to_two_nodes_have_one_winner_and_one_live_hold()
    {
        var (a, b) = (Cluster.A, Cluster.B);
        var customer = await a.CreateUserAsync("customer");
        var (customerOnA, customerOnB) = (a.As(customer), b.As(customer));
        var first = await a.CreateUserAsync("first");
        var second = await b.CreateUserAsync("second");

        for (var round = 0; round < Rounds; round++)
        {
            var jobId = (await customer.PostFlatJobAsync(amount: 5000)).Str("id");
            var offerA = (await first.OfferAsync(jobId, proposedAmount: 4800)).Str("id");
            var offerB = (await second.OfferAsync(jobId, proposedAmount: 4900)).Str("id");

            var answers = await Task.WhenAll(
                Task.Run(() => customerOnA.PostAsync($"/api/offers/{offerA}/accept")),
                Task.Run(() => customerOnB.PostAsync($"/api/offers/{offerB}/accept")));

            var winner = Assert.Single(answers, r => r.StatusCode == HttpStatusCode.OK);
            var loser = Assert.Single(answers, r => r.StatusCode != HttpStatusCode.OK);
            await AssertLostRaceAsync(loser);

            var job = await winner.Json();
            var winnerId = winner == answers[0] ? first.Id : second.Id;
            Assert.Equal("SCHEDULED", job.Str("status"));
            Assert.Equal(winnerId, job.Str("hustlerId"));

            await using var db = a.Db();
            Assert.Equal(1, await db.JobHistory.CountAsync(h => h.JobId == jobId && h.Action == "ACCEPT_OFFER"));
            Assert.Equal(1, await db.FeedEvents.CountAsync(e => e.JobId == jobId && e.UserId == customer.Id && e.Type == "JOB_ASSIGNED"));

            // The loser's hold, if it got that far, was voided: one hold stays on the card, for the winner's price.
            var live = await db.Set<SimulatedHold>().AsNoTracking().Where(h => h.JobId == jobId && h.Status == SimulatedHoldStatus.RequiresCapture).ToListAsync();
            Assert.Equal(winner == answers[0] ? 4800 : 4900, Assert.Single(live).Amount);
        }
    }

    [Fact]
    public async Task Two_confirms_sent_to_two_nodes_have_one_winner_and_capture_once()
    {
        var (a, b) = (Cluster.A, Cluster.B);
        var customer = await a.CreateUserAsync("customer");
        var hustler = await b.CreateUserAsync("hustler");
        var (customerOnA, customerOnB) = (a.As(customer), b.As(customer));

        for (var round = 0; round < Rounds; round++)
        {
            var (jobId, _) = await Api.ScheduledFlatJobAsync(customer, hustler, amount: 3000 + round);
            await Api.StartAsync(customer, hustler, jobId);
            await Api.CompleteAsync(customer, hustler, jobId);

            // Two confirmations, each with a key of its own: without one, a confirmation that reads the job already
            // PAID is taken for a retry of the first and answered with the paid job (ConfirmAndPay), not 409.
            var answers = await Task.WhenAll(
                Task.Run(() => Steps.Send(customerOnA, $"/api/jobs/{jobId}/confirm", null, $"confirm-a-{jobId}")),
                Task.Run(() => Steps.Send(customerOnB, $"/api/jobs/{jobId}/confirm", null, $"confirm-b-{jobId}")));

            Assert.Equal("PAID", (await Assert.Single(answers, r => r.StatusCode == HttpStatusCode.OK).Json()).Str("status"));
            var loser = Assert.Single(answers, r => r.StatusCode != HttpStatusCode.OK);
            await AssertLostRaceAsync(loser);

            await using var db = a.Db();
            Assert.Equal(JobStatus.Paid, await a.StatusAsync(jobId));
            Assert.Equal(1, await db.JobHistory.CountAsync(h => h.JobId == jobId && h.To == "PAID"));
            Assert.Equal(1, await db.FeedEvents.CountAsync(e => e.JobId == jobId && e.UserId == hustler.Id && e.Type == "PAYMENT_CAPTURED"));
            var hold = await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId);
            Assert.Equal(3000 + round, hold.Captured);
            Assert.Equal(1, await db.Set<SimulatedIdempotencyKey>().CountAsync(k => k.Key.StartsWith($"job/{jobId}/capture/")));
        }
    }

    /// <summary>409 problem details: either the commit lost (concurrency_conflict) or the winner had already committed (invalid_transition).</summary>
    private static async Task AssertLostRaceAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"Expected 409 but got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var code = System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("code").GetString();
        Assert.Contains(code, new[] { "concurrency_conflict", "invalid_transition" });
    }
}
