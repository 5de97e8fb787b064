using System.Data.Common;
using Hustle.Web.Data;
using Hustle.Web.Infrastructure;
using Hustle.Web.Payments.Simulated;
using Hustle.Web.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Hustle.Scale.Tests;

/// <summary>
/// PostgreSQL briefly gone: requests answer 503 <c>service_unavailable</c> (never a 500), a transition cut off
/// between its writes and its commit leaves nothing behind, and once the database is back the same request
/// (same Idempotency-Key) goes through, charging once.
/// </summary>
public sealed class DatabaseOutageTests
{
    [Fact]
    public async Task With_the_database_gone_requests_get_503_and_a_transition_cut_before_its_commit_applies_nothing()
    {
        var database = TestDatabase.CreatePostgres();
        var direct = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var proxy = TcpProxy.To(direct.Host!, direct.Port);
        var cutter = new CutBeforeJobCommit(proxy);
        await using var app = new ProxiedApp(database, new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 5 }.ConnectionString, cutter);

        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var jobId = (await customer.PostFlatJobAsync(amount: 5000)).Str("id");
        var offerId = (await hustler.OfferAsync(jobId)).Str("id");
        var before = await app.SnapshotAsync(jobId);

        // Down before the request: a clear 503 with Retry-After, for reads and transitions alike.
        proxy.Cut();
        foreach (var answer in new[] { await customer.Client.GetAsync("/api/jobs/mine"), await customer.PostAsync($"/api/offers/{offerId}/accept"), await hustler.Client.GetAsync("/api/feed") })
        {
            await answer.Problem(503, "service_unavailable");
            Assert.NotNull(answer.Headers.RetryAfter);
        }

        proxy.Restore();
        Assert.Equal(before, await app.SnapshotAsync(jobId));

        // Down between the job's writes and their commit: the hold was taken, the transaction never commits.
        cutter.Arm();
        var accept = new HttpRequestMessage(HttpMethod.Post, $"/api/offers/{offerId}/accept");
        accept.Headers.Add(IdempotencyMiddleware.Header, "accept-once");
        await (await customer.Client.SendAsync(accept)).Problem(503, "service_unavailable");
        Assert.True(cutter.Fired);
        proxy.Restore();
        Assert.Equal(before, await app.SnapshotAsync(jobId)); // no status, history line, feed event or payment record

        // The client retries with the same key at once (nothing was kept for it, as nothing committed): same hold, one charge.
        var retry = new HttpRequestMessage(HttpMethod.Post, $"/api/offers/{offerId}/accept");
        retry.Headers.Add(IdempotencyMiddleware.Header, "accept-once");
        Assert.Equal("SCHEDULED", (await (await customer.Client.SendAsync(retry)).Json()).Str("status"));

        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await app.Sweeper.ReconcilePaymentsAsync(CancellationToken.None);
        await using var db = app.Db();
        var holds = await db.Set<SimulatedHold>().AsNoTracking().Where(h => h.JobId == jobId).ToListAsync();
        Assert.Equal(5000, Assert.Single(holds, h => h.Status == SimulatedHoldStatus.RequiresCapture).Amount);
        Assert.DoesNotContain(holds, h => h.Status == SimulatedHoldStatus.Captured);
    }

    [Fact]
    public async Task A_hold_taken_for_a_transition_that_never_committed_is_voided_by_the_reconciler()
    {
        var database = TestDatabase.CreatePostgres();
        var direct = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var proxy = TcpProxy.To(direct.Host!, direct.Port);
        var cutter = new CutBeforeJobCommit(proxy);
        await using var app = new ProxiedApp(database, new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 5 }.ConnectionString, cutter);

        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var jobId = (await customer.PostFlatJobAsync(amount: 5000)).Str("id");
        var offerId = (await hustler.OfferAsync(jobId)).Str("id");

        cutter.Arm();
        await (await customer.PostAsync($"/api/offers/{offerId}/accept")).Problem(503, "service_unavailable");
        Assert.True(cutter.Fired);
        proxy.Restore();

        // Nobody retries: after the grace period the sweep finds the orphaned hold and releases it.
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await app.Sweeper.ReconcilePaymentsAsync(CancellationToken.None);
        await using var db = app.Db();
        var hold = await db.Set<SimulatedHold>().AsNoTracking().SingleAsync(h => h.JobId == jobId);
        Assert.Equal(SimulatedHoldStatus.Canceled, hold.Status);
        Assert.Equal("REQUESTED", (await customer.GetJobAsync(jobId)).Str("status"));
    }
}

/// <summary>A single node whose database connections go through <see cref="TcpProxy"/>, with <see cref="CutBeforeJobCommit"/> installed.</summary>
public sealed class ProxiedApp(TestDatabase database, string proxiedConnection, CutBeforeJobCommit cutter)
    : TestApp(database, new FakeTimeProvider(Start), ownsDatabase: true)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["ConnectionStrings:Hustle"] = proxiedConnection };

    protected override void ConfigureTestServices(IServiceCollection services) =>
        services.ConfigureDbContext<PostgresHustleDb>(o => o.AddInterceptors(cutter, cutter.Commands));
}

/// <summary>
/// Once armed, cuts the proxy at the moment a transaction that wrote a job is about to commit: the UPDATE of the
/// job, its history and feed rows have reached PostgreSQL, the COMMIT never does.
/// </summary>
public sealed class CutBeforeJobCommit(TcpProxy proxy) : DbTransactionInterceptor
{
    private readonly HashSet<DbTransaction> _wroteJob = [];
    private volatile bool _armed;

    public bool Fired { get; private set; }

    public JobWriteWatch Commands => new(this);

    public void Arm()
    {
        Fired = false;
        _armed = true;
    }

    public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        bool cut;
        lock (_wroteJob)
        {
            cut = _armed && _wroteJob.Remove(transaction);
        }

        if (cut)
        {
            _armed = false;
            Fired = true;
            proxy.Cut();
        }

        return ValueTask.FromResult(result);
    }

    internal void Saw(DbCommand command)
    {
        if (_armed && command.Transaction is { } transaction && command.CommandText.Contains("UPDATE \"Jobs\"", StringComparison.Ordinal))
        {
            lock (_wroteJob)
            {
                _wroteJob.Add(transaction);
            }
        }
    }

    public sealed class JobWriteWatch(CutBeforeJobCommit owner) : DbCommandInterceptor
    {
        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            owner.Saw(command);
            return ValueTask.FromResult(result);
        }
    }
}
