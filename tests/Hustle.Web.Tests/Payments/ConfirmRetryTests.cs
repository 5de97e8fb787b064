using System.Net;
using Hustle.Web.Payments;
using Hustle.Web.Payments.Simulated;
using Hustle.Web.Tests.Lifecycle;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Hustle.Web.Tests.Payments;

/// <summary>A confirmation whose answer never reached the customer: retried, or cut off by a crash of the node.</summary>
public sealed class ConfirmRetryTests() : LifecycleTest(new ScriptedGatewayApp())
{
    private ScriptedGateway Gateway => ((ScriptedGatewayApp)App).Gateway;

    [Fact]
    public async Task A_confirm_retried_without_a_key_after_the_job_was_paid_by_it_answers_the_paid_job_and_changes_nothing()
    {
        var jobId = await FinishedFlatJobAsync(5000);
        var first = await (await Customer.ConfirmAsync(jobId)).Json();
        var before = await App.SnapshotAsync(jobId);
        var feeds = (await Customer.FeedAsync()).Count + ":" + (await Hustler.FeedAsync()).Count;

        var retried = await Customer.ConfirmAsync(jobId);

        var again = await retried.Json();
        Assert.Equal((first.Str("status"), first.Str("paymentStatus"), first.Long("version")), (again.Str("status"), again.Str("paymentStatus"), again.Long("version")));
        Assert.Equal(before, await App.SnapshotAsync(jobId));
        Assert.Equal(feeds, (await Customer.FeedAsync()).Count + ":" + (await Hustler.FeedAsync()).Count);
        await using var db = App.Db();
        Assert.Equal(1, await db.Set<PaymentCall>().CountAsync(c => c.JobId == jobId && c.Operation == "capture"));
    }

    [Fact]
    public async Task A_confirm_by_someone_else_on_a_paid_job_is_still_refused()
    {
        var jobId = await FinishedFlatJobAsync(5000);
        await (await Customer.ConfirmAsync(jobId)).Json();
        var before = await App.SnapshotAsync(jobId);

        var answer = await Hustler.ConfirmAsync(jobId);

        Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
        Assert.Equal(before, await App.SnapshotAsync(jobId));
    }

    [Fact]
    public async Task A_confirm_cut_off_after_its_capture_shows_paid_as_soon_as_a_node_starts_not_after_the_grace()
    {
        var jobId = await FinishedFlatJobAsync(5000);
        Gateway.LoseNextAnswer("capture");
        await (await Customer.ConfirmAsync(jobId)).Problem(503, "payment_unavailable");
        Assert.Equal("AWAITING_CUSTOMER_CONFIRM", (await Customer.GetJobAsync(jobId)).Str("status"));

        // The node that made the capture is gone; one starting on the same database settles what it left.
        await using var restarted = new RestartedNode(App.Database, App.Clock);
        _ = restarted.Server;

        var job = await Customer.GetJobAsync(jobId);
        Assert.Equal(("PAID", "CAPTURED", 5000L), (job.Str("status"), job.Str("paymentStatus"), job.Long("finalAmount")));
        await using var db = App.Db();
        Assert.Equal(5000, (await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId)).Captured);
        Assert.Equal(1, await db.Set<SimulatedIdempotencyKey>().CountAsync(k => k.Key.StartsWith($"job/{jobId}/capture/")));
        await MoneyInvariants.AssertMoneyInvariantsAsync(App);
    }

    private sealed class RestartedNode(TestDatabase database, FakeTimeProvider clock) : TestApp(database, clock);
}
