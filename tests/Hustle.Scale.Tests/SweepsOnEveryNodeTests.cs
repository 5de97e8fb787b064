using Hustle.Domain.Jobs;
using Hustle.Web.Payments;
using Hustle.Web.Payments.Simulated;
using Hustle.Web.Tests;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Hustle.Scale.Tests;

/// <summary>
/// Every node runs the background sweeps. Run on both nodes at the same moment over the same due jobs, each
/// expiry and each auto-confirm still happens once: one history line, one event per person, one capture.
/// </summary>
public sealed class SweepsOnEveryNodeTests(ITestOutputHelper output) : ClusterTest
{
    private const int Jobs = 8;

    [Fact]
    public async Task Expiry_run_by_both_nodes_at_once_expires_each_job_once()
    {
        var customer = await Cluster.A.CreateUserAsync("customer");
        var hustler = await Cluster.B.CreateUserAsync("hustler");
        var ids = new List<string>();
        for (var i = 0; i < Jobs; i++)
        {
            var job = await customer.PostFlatJobAsync(title: $"Job {i}");
            ids.Add(job.Str("id"));
            if (i % 2 == 0)
            {
                await hustler.OfferAsync(job.Str("id")); // REQUESTED ones expire too, declining the offer
            }
        }

        Cluster.Clock.Advance(TimeSpan.FromDays(8));
        await Task.WhenAll(Sweepers().Select(n => Task.Run(() => n.Sweeper.ExpireJobsAsync(CancellationToken.None))));
        await Task.WhenAll(Cluster.Nodes.Select(n => Task.Run(() => n.Sweeper.RunOnceAsync(CancellationToken.None))));

        await using var db = Cluster.A.Db();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            Assert.Equal(JobStatus.Expired, await Cluster.A.StatusAsync(id));
            Assert.Equal(1, await db.JobHistory.CountAsync(h => h.JobId == id && h.Action == "EXPIRE"));
            Assert.Equal(1, await db.FeedEvents.CountAsync(e => e.JobId == id && e.UserId == customer.Id && e.Type == "JOB_EXPIRED"));
            Assert.Equal(i % 2 == 0 ? 1 : 0, await db.FeedEvents.CountAsync(e => e.JobId == id && e.UserId == hustler.Id && e.Type == "JOB_EXPIRED"));
        }

        await AssertFeedsGapFreeAsync(db, customer.Id, hustler.Id);
    }

    [Fact]
    public async Task Auto_confirm_run_by_both_nodes_at_once_captures_each_job_once()
    {
        var customer = await Cluster.A.CreateUserAsync("customer");
        var hustler = await Cluster.B.CreateUserAsync("hustler");
        var ids = new List<string>();
        for (var i = 0; i < Jobs; i++)
        {
            var (id, _) = await Api.ScheduledFlatJobAsync(customer, hustler, amount: 4000 + i);
            await Api.StartAsync(customer, hustler, id);
            var completed = await Api.CompleteAsync(customer, hustler, id);
            Assert.Equal("AWAITING_CUSTOMER_CONFIRM", completed.Str("status"));
            ids.Add(id);
        }

        Cluster.Clock.Advance(TimeSpan.FromHours(73));
        await Task.WhenAll(Sweepers().Select(n => Task.Run(() => n.Sweeper.AutoConfirmAsync(CancellationToken.None))));
        await Task.WhenAll(Cluster.Nodes.Select(n => Task.Run(() => n.Sweeper.RunOnceAsync(CancellationToken.None))));

        await using var db = Cluster.A.Db();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            Assert.Equal(JobStatus.Paid, await Cluster.A.StatusAsync(id));
            Assert.Equal(1, await db.JobHistory.CountAsync(h => h.JobId == id && h.Action == "AUTO_CONFIRM"));
            Assert.Equal(1, await db.JobHistory.CountAsync(h => h.JobId == id && h.To == "PAID"));
            Assert.Equal(1, await db.FeedEvents.CountAsync(e => e.JobId == id && e.UserId == customer.Id && e.Type == "PAYMENT_CAPTURED"));
            Assert.Equal(1, await db.FeedEvents.CountAsync(e => e.JobId == id && e.UserId == hustler.Id && e.Type == "PAYMENT_CAPTURED"));

            // The money moved once: one capture at the provider, for the agreed amount, and one hold in all.
            var holds = await db.Set<SimulatedHold>().AsNoTracking().Where(h => h.JobId == id).ToListAsync();
            var hold = Assert.Single(holds);
            Assert.Equal(4000 + i, hold.Captured);
            Assert.Equal(1, await db.Set<SimulatedIdempotencyKey>().CountAsync(k => k.Key.StartsWith($"job/{id}/capture/")));
            var payment = await db.Set<Payment>().AsNoTracking().FirstAsync(p => p.JobId == id);
            Assert.Equal(4000 + i, payment.CapturedAmount);
        }

        // Both nodes usually reach the gateway for the same job (same key, one capture); the slower commit loses.
        var attempts = await db.Set<PaymentCall>().CountAsync(c => ids.Contains(c.JobId) && c.Operation == "capture");
        output.WriteLine($"{attempts} capture calls journaled for {Jobs} jobs by six sweeps on two nodes");

        await AssertFeedsGapFreeAsync(db, customer.Id, hustler.Id);
    }

    /// <summary>Three sweeps per node at once (A, B, A, B, …): more overlap than two nodes' timers would ever give.</summary>
    private IEnumerable<Node> Sweepers() => Enumerable.Repeat(Cluster.Nodes, 3).SelectMany(n => n);

    /// <summary>Racing writers on two nodes still hand out each person's seqs 1..n with no hole and no repeat.</summary>
    private static async Task AssertFeedsGapFreeAsync(Hustle.Web.Data.HustleDb db, params string[] users)
    {
        foreach (var user in users)
        {
            var seqs = await db.FeedEvents.Where(e => e.UserId == user).OrderBy(e => e.Seq).Select(e => e.Seq).ToListAsync();
            Assert.Equal(Enumerable.Range(1, seqs.Count).Select(s => (long)s), seqs);
            Assert.Equal(seqs.Count, await db.FeedCounters.Where(c => c.UserId == user).Select(c => c.LastSeq).FirstAsync());
        }
    }
}
