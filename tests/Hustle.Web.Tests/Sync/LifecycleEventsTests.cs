using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;

namespace Hustle.Web.Tests.Sync;

/// <summary>Every step of a job's life reaches both its people, live, over each transport, and nobody else.</summary>
public sealed class LifecycleEventsTests(TestApp app) : IClassFixture<TestApp>
{
    public static TheoryData<HttpTransportType> Transports =>
        [HttpTransportType.WebSockets, HttpTransportType.ServerSentEvents, HttpTransportType.LongPolling];

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Both_parties_get_every_step_of_a_flat_job_live_and_a_bystander_gets_nothing(HttpTransportType transport)
    {
        await using var customer = await LiveUser.ConnectAsync(app, await app.CreateUserAsync("customer"), transport);
        await using var hustler = await LiveUser.ConnectAsync(app, await app.CreateUserAsync("hustler"), transport);
        await using var bystander = await LiveUser.ConnectAsync(app, await app.CreateUserAsync("bystander"), transport);

        var job = await customer.User.PostFlatJobAsync(amount: 7500);
        var jobId = job.Str("id");
        Assert.Equal(jobId, (await customer.NextAsync("JOB_CREATED")).JobId);

        var offer = await hustler.User.OfferAsync(jobId, proposedAmount: 7000);
        foreach (var side in new[] { customer, hustler })
        {
            var e = await side.NextAsync("OFFER_RECEIVED");
            Assert.Equal(offer.Str("id"), e.Data.Str("offerId"));
            Assert.Equal(7000, e.Data.GetProperty("proposedAmount").GetInt64());
            Assert.Equal("REQUESTED", e.Data.Str("status"));
        }

        await customer.User.AcceptAsync(offer.Str("id"));
        var assignedToCustomer = await customer.NextAsync("JOB_ASSIGNED");
        var assignedToHustler = await hustler.NextAsync("JOB_ASSIGNED");
        Assert.Equal(assignedToCustomer.Id, assignedToHustler.Id);
        foreach (var e in new[] { assignedToCustomer, assignedToHustler })
        {
            Assert.Equal("SCHEDULED", e.Data.Str("status"));
            Assert.Equal(hustler.User.Id, e.Data.Str("hustlerId"));
        }

        var codes = await customer.User.GetJobAsync(jobId);
        Assert.Equal(codes.Str("startCode"), assignedToCustomer.Data.Str("startCode"));
        Assert.Equal(codes.Str("completionCode"), assignedToCustomer.Data.Str("completionCode"));
        Assert.False(assignedToHustler.Data.TryGetProperty("startCode", out _));
        Assert.False(assignedToHustler.Data.TryGetProperty("completionCode", out _));

        await Api.StartAsync(customer.User, hustler.User, jobId);
        foreach (var side in new[] { customer, hustler })
        {
            var e = await side.NextAsync("JOB_STARTED");
            Assert.Equal("IN_PROGRESS", e.Data.Str("status"));
            Assert.Equal(TestApp.Start, e.Data.GetProperty("startedAt").GetDateTimeOffset());
        }

        await Api.CompleteAsync(customer.User, hustler.User, jobId);
        foreach (var side in new[] { customer, hustler })
        {
            Assert.Equal("COMPLETED_BY_HUSTLER", (await side.NextAsync("JOB_COMPLETED")).Data.Str("status"));
            var requested = await side.NextAsync("PAYMENT_REQUESTED");
            Assert.Equal("AWAITING_CUSTOMER_CONFIRM", requested.Data.Str("status"));
            Assert.Equal(7000, requested.Data.GetProperty("finalAmount").GetInt64());
        }

        await (await customer.User.PostAsync($"/api/jobs/{jobId}/confirm")).Json();
        foreach (var side in new[] { customer, hustler })
        {
            var paid = await side.NextAsync("PAYMENT_CAPTURED");
            Assert.Equal("PAID", paid.Data.Str("status"));
            Assert.StartsWith("pi_sim_", paid.Data.Str("paymentId"));
            Assert.Equal(7000, paid.Data.GetProperty("capturedAmount").GetInt64());
        }

        // The bystander was connected all along; a job of their own proves their connection delivers, and is all they got.
        await bystander.User.PostFlatJobAsync();
        await bystander.NextAsync("JOB_CREATED");
        bystander.AssertNothingMore();
        customer.AssertNothingMore();
        hustler.AssertNothingMore();

        Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), customer.Follower.AppliedEvents.Select(e => e.Seq));
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), hustler.Follower.AppliedEvents.Select(e => e.Seq));
        var hustlerSaw = JsonSerializer.Serialize(hustler.Follower.AppliedEvents);
        Assert.DoesNotContain(codes.Str("startCode"), hustlerSaw, StringComparison.Ordinal);
        Assert.DoesNotContain(codes.Str("completionCode"), hustlerSaw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_connection_of_a_user_gets_each_event()
    {
        var user = await app.CreateUserAsync("three-devices");
        await using var phone = await LiveUser.ConnectAsync(app, user, HttpTransportType.WebSockets);
        await using var laptop = await LiveUser.ConnectAsync(app, user, HttpTransportType.ServerSentEvents);
        await using var tablet = await LiveUser.ConnectAsync(app, user, HttpTransportType.LongPolling);

        var job = await user.PostFlatJobAsync();
        await (await user.PostAsync($"/api/jobs/{job.Str("id")}/cancel", new { reason = "plans changed" })).Json();

        foreach (var device in new[] { phone, laptop, tablet })
        {
            Assert.Equal(1, (await device.NextAsync("JOB_CREATED")).Seq);
            var cancelled = await device.NextAsync("JOB_CANCELLED");
            Assert.Equal(2, cancelled.Seq);
            Assert.Equal("plans changed", cancelled.Data.Str("reason"));
        }
    }
}
