namespace Hustle.Web.Tests.Data;

/// <summary>
/// What a lifecycle step costs in SQL statements, counted where SQLite runs them (docs/BENCHMARKS.md, "A step's
/// cost"): one read of what the rules need, then one transaction that writes the job, its history and its feed
/// copies (a savepoint of its own in the group commit's batch). A count, not a timing: a new statement on this path shows up here.
/// </summary>
public sealed class StepStatementsTests(StatementCountingApp app) : IClassFixture<StatementCountingApp>
{
    [Fact]
    public async Task Entering_the_start_code_reads_the_job_once_and_writes_job_history_and_both_feed_copies_in_one_transaction()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var (jobId, scheduled) = await Api.ScheduledFlatJobAsync(customer, hustler);
        var log = app.Statements;
        log.Take();

        var started = await (await hustler.PostAsync($"/api/jobs/{jobId}/start", new { code = scheduled.Str("startCode") })).Json();

        Assert.Equal(
            ["SELECT \"Jobs\"", "BEGIN", "SAVEPOINT", "INSERT \"FeedCounters\"", "INSERT \"FeedEvents\"", "INSERT \"FeedEvents\"", "INSERT \"JobHistory\"", "UPDATE \"Jobs\"", "RELEASE", "COMMIT"],
            log.Take());
        Assert.Equal("IN_PROGRESS", started.Str("status"));
        Assert.Equal("IN_PROGRESS", (await customer.EventsAsync(jobId, "JOB_STARTED")).Single().GetProperty("data").Str("status"));
        Assert.Single(await hustler.EventsAsync(jobId, "JOB_STARTED"));
    }

    [Fact]
    public async Task Reading_a_job_in_progress_is_one_statement()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var (jobId, _) = await Api.ScheduledFlatJobAsync(customer, hustler);
        await Api.StartAsync(customer, hustler, jobId);
        var log = app.Statements;
        log.Take();

        var job = await hustler.GetJobAsync(jobId);

        Assert.Equal(["SELECT \"Jobs\""], log.Take());
        Assert.Equal("IN_PROGRESS", job.Str("status"));
    }

    [Fact]
    public async Task An_offer_on_an_open_job_reads_the_job_and_its_pending_offers_and_writes_everything_in_one_transaction()
    {
        var customer = await app.CreateUserAsync("customer");
        var first = await app.CreateUserAsync("hustler");
        var second = await app.CreateUserAsync("hustler");
        var jobId = (await customer.PostFlatJobAsync()).Str("id");
        var firstOffer = (await first.OfferAsync(jobId)).Str("id");
        var log = app.Statements;
        log.Take();

        var secondOffer = (await second.OfferAsync(jobId)).Str("id");

        Assert.Equal(
            ["SELECT \"Jobs\"", "SELECT \"Offers\"", "BEGIN", "SAVEPOINT", "INSERT \"FeedCounters\"", "SELECT \"MessageThreads\"", "INSERT \"FeedEvents\"", "INSERT \"FeedEvents\"", "INSERT \"JobHistory\"",
                "UPDATE \"Jobs\"", "INSERT \"MessageThreads\"", "INSERT \"Offers\"", "INSERT \"ThreadReadStates\"", "INSERT \"ThreadReadStates\"", "RELEASE", "COMMIT"],
            log.Take());
        var view = await customer.GetJobAsync(jobId);
        Assert.Equal(2, view.GetProperty("pendingOffers").GetInt32());
        Assert.Equal(
            [firstOffer, secondOffer],
            view.GetProperty("allowedActions").EnumerateArray().Where(a => a.Str("action") == "ACCEPT_OFFER").Select(a => a.Str("offerId")));
    }
}

/// <summary>
/// An app whose statements are logged from its start, so the connection the group-commit writer opens once and keeps
/// is traced too.
/// </summary>
public sealed class StatementCountingApp : SqliteApp
{
    public StatementCountingApp() => Statements = new SqliteStatementLog(Database.Name);

    public SqliteStatementLog Statements { get; }

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Hustle:SqliteSynchronous"] = "NORMAL" };

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Statements.Dispose();
        }

        base.Dispose(disposing);
    }
}
