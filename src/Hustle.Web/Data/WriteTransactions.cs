using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Hustle.Web.Data;

/// <summary>
/// Where a change is written and committed. On SQLite (by default) a seat in <see cref="SqliteGroupCommit"/>: the
/// change shares one transaction and one disk sync with the changes written at the same moment. On PostgreSQL, whose
/// own commit path already groups concurrent commits into one log flush, the change's own transaction.
/// </summary>
public interface IWriteTransactions
{
    /// <summary>
    /// Opens the change's transaction on <paramref name="db"/>: its reads and writes from here to
    /// <see cref="IWriteTransaction.CommitAsync"/> are the change. Disposed without a commit, it applies nothing.
    /// </summary>
    Task<IWriteTransaction> BeginAsync(HustleDb db, IsolationLevel isolation, CancellationToken ct);
}

/// <summary>The transaction of one change (see <see cref="IWriteTransactions"/>).</summary>
public interface IWriteTransaction : IAsyncDisposable
{
    /// <summary>
    /// Commits the change and only then runs <paramref name="afterCommit"/> (the push of what was committed; it must be
    /// quick and never block). Changes committed together run theirs in commit order. Throws when the commit failed:
    /// then nothing of the change was saved.
    /// </summary>
    Task CommitAsync(Action? afterCommit = null);
}

public static class WriteTransactionsExtensions
{
    public static Task<IWriteTransaction> BeginAsync(this IWriteTransactions transactions, HustleDb db, CancellationToken ct) =>
        transactions.BeginAsync(db, IsolationLevel.Unspecified, ct);
}

/// <summary>Each change in a transaction of its own: PostgreSQL, and SQLite with <c>Hustle:SqliteGroupCommit=false</c>.</summary>
public sealed class OwnTransactions : IWriteTransactions
{
    public async Task<IWriteTransaction> BeginAsync(HustleDb db, IsolationLevel isolation, CancellationToken ct) =>
        new OwnTransaction(await db.Database.BeginTransactionAsync(isolation, ct));

    private sealed class OwnTransaction(IDbContextTransaction transaction) : IWriteTransaction
    {
        public async Task CommitAsync(Action? afterCommit = null)
        {
            await transaction.CommitAsync();
            afterCommit?.Invoke();
        }

        public ValueTask DisposeAsync() => transaction.DisposeAsync();
    }
}
