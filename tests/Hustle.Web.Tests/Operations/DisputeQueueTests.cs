namespace Hustle.Web.Tests.Operations;

public sealed class DisputeQueueTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task Operators_see_disputed_jobs_waiting_for_a_decision_and_nobody_else_does()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var (jobId, _) = await Api.ScheduledFlatJobAsync(customer, hustler);
        await Api.StartAsync(customer, hustler, jobId);
        await Api.CompleteAsync(customer, hustler, jobId);
        await (await customer.PostAsync($"/api/jobs/{jobId}/dispute", new { reason = "sink still leaks" })).Json();
        var ops = await app.CreateOperatorAsync();

        var queue = await (await ops.Client.GetAsync("/api/ops/disputes")).Json();

        var listed = Assert.Single(queue.EnumerateArray(), j => j.Str("id") == jobId);
        Assert.True(listed.GetProperty("disputed").GetBoolean());
        Assert.Equal("AWAITING_CUSTOMER_CONFIRM", listed.Str("status"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, listed.GetProperty("startCode").ValueKind);
        await (await customer.Client.GetAsync("/api/ops/disputes")).Problem(403, "forbidden");

        await (await ops.PostAsync($"/api/jobs/{jobId}/resolve-cancel", new { reason = "refund agreed" })).Json();
        var after = await (await ops.Client.GetAsync("/api/ops/disputes")).Json();
        Assert.DoesNotContain(after.EnumerateArray(), j => j.Str("id") == jobId);
        Assert.Equal("CANCELLED", (await customer.GetJobAsync(jobId)).Str("status"));
    }
}
