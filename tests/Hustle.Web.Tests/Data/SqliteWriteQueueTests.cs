using Hustle.Web.Accounts;
using Hustle.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Hustle.Web.Tests.Data;

/// <summary>An app on SQLite whatever <c>HUSTLE_TEST_PROVIDER</c> says: these tests are about SQLite itself.</summary>
public class SqliteApp() : TestApp(TestDatabase.CreateSqlite(), new FakeTimeProvider(Start), ownsDatabase: true);

/// <summary>SQLite writers of one node take turns asynchronously instead of sleeping on a busy database.</summary>
public sealed class SqliteWriteQueueTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private IDbContextFactory<HustleDb> Contexts => app.Services.GetRequiredService<IDbContextFactory<HustleDb>>();

    [Fact]
    public async Task A_second_writer_waits_without_blocking_its_caller_and_starts_when_the_first_commits()
    {
        await using var first = await Contexts.CreateDbContextAsync();
        await using var second = await Contexts.CreateDbContextAsync();
        var holding = await first.Database.BeginTransactionAsync();

        var waiting = second.Database.BeginTransactionAsync();
        Assert.False(waiting.IsCompleted);

        await holding.CommitAsync();
        Assert.Same(waiting, await Task.WhenAny(waiting, Task.Delay(Patience)));
        await (await waiting).CommitAsync();
        await holding.DisposeAsync();
    }

    [Fact]
    public async Task Writes_outside_a_transaction_wait_for_the_turn_without_blocking_their_caller()
    {
        await using var first = await Contexts.CreateDbContextAsync();
        await using var updating = await Contexts.CreateDbContextAsync();
        await using var inserting = await Contexts.CreateDbContextAsync();
        var holding = await first.Database.BeginTransactionAsync();

        var update = updating.Users.Where(u => u.Email == "nobody@hustle.test").ExecuteUpdateAsync(s => s.SetProperty(u => u.LastSeenAt, DateTimeOffset.UnixEpoch));
        inserting.Users.Add(new User { UserName = "queued@hustle.test", Email = "queued@hustle.test" });
        var insert = inserting.SaveChangesAsync();
        Assert.False(update.IsCompleted);
        Assert.False(insert.IsCompleted);

        await holding.CommitAsync();
        Assert.Equal(0, await update.WaitAsync(Patience));
        Assert.Equal(1, await insert.WaitAsync(Patience));
        await holding.DisposeAsync();

        // The turns the two statements took were given back: a transaction starts.
        await (await first.Database.BeginTransactionAsync().WaitAsync(Patience)).RollbackAsync();
    }

    [Fact]
    public async Task A_transaction_abandoned_without_commit_or_rollback_frees_the_turn_when_its_context_goes()
    {
        await using (var abandoning = await Contexts.CreateDbContextAsync())
        {
            await abandoning.Database.BeginTransactionAsync();
        }

        await using var next = await Contexts.CreateDbContextAsync();
        var begin = next.Database.BeginTransactionAsync();
        Assert.Same(begin, await Task.WhenAny(begin, Task.Delay(Patience)));
        await (await begin).RollbackAsync();
    }
}

public sealed class NormalSyncApp : SqliteApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Hustle:SqliteSynchronous"] = "NORMAL" };
}

/// <summary><c>Hustle:SqliteSynchronous</c> reaches every connection; SQLite's own default stays otherwise.</summary>
public sealed class SqliteSynchronousModeTests(NormalSyncApp app) : IClassFixture<NormalSyncApp>
{
    [Fact]
    public async Task Every_connection_runs_with_the_configured_synchronous_mode()
    {
        await using var db = app.Db();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA synchronous;";

        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public void Only_FULL_and_NORMAL_are_accepted() =>
        Assert.Throws<ArgumentException>(() => new SqliteSynchronousMode("OFF"));
}
