using Hustle.Domain.Jobs;

namespace Hustle.Web.Tests.Lifecycle;

/// <summary>Who may settle a dispute: an operator; a party is refused by the table, anyone else learns nothing.</summary>
public class ResolveDisputeAccessTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task Only_an_operator_resolves_a_dispute_the_parties_get_409_and_a_stranger_404()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var stranger = await app.CreateUserAsync("stranger");
        var operatorUser = await app.CreateOperatorAsync();
        var (jobId, _) = await Api.ScheduledFlatJobAsync(customer, hustler);
        await Api.StartAsync(customer, hustler, jobId);
        await Api.CompleteAsync(customer, hustler, jobId);
        await (await customer.PostAsync($"/api/jobs/{jobId}/dispute", new { reason = "Still leaking" })).Json();
        var before = await app.SnapshotAsync(jobId);

        await (await stranger.PostAsync($"/api/jobs/{jobId}/resolve-cancel", new { reason = "x" })).Problem(404, "not_found");
        await (await customer.PostAsync($"/api/jobs/{jobId}/resolve-cancel", new { reason = "x" })).Problem(409, "invalid_transition");
        await (await hustler.PostAsync($"/api/jobs/{jobId}/resolve-cancel", new { reason = "x" })).Problem(409, "invalid_transition");
        Assert.Equal(before, await app.SnapshotAsync(jobId));

        var resolved = await (await operatorUser.PostAsync($"/api/jobs/{jobId}/resolve-cancel", new { reason = "Refund agreed" })).Json();

        Assert.Equal(("CANCELLED", "VOIDED"), (resolved.Str("status"), resolved.Str("paymentStatus")));
        Assert.Equal(JobStatus.Cancelled, await app.StatusAsync(jobId));
    }
}
