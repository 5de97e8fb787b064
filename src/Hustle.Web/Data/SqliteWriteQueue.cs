using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Hustle.Web.Data;

/// <summary>
/// Queues this process's SQLite write transactions, one at a time, without blocking a thread while they wait.
/// <para>
/// SQLite has one write lock per database. Microsoft.Data.Sqlite meets a held lock by blocking its thread in
/// <c>Thread.Sleep(150)</c> and retrying, so concurrent transitions waited in 150 ms steps on blocked thread-pool
/// threads, and the starved pool delayed everything else, pushes and hub pings included (docs/BENCHMARKS.md, "first
/// bottleneck"). Here a writer awaits its turn before <c>BEGIN</c> and the next one starts the moment the previous
/// one commits, rolls back, fails, or its connection closes (a transaction disposed without either rolls back then).
/// SQLite's own lock still guards against other processes.
/// </para>
/// </summary>
public sealed class SqliteWriteQueue : IDbTransactionInterceptor, IDbConnectionInterceptor, IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private DbContext? _holder;

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        _turn.Wait();
        _holder = eventData.Context;
        return result;
    }

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        await _turn.WaitAsync(cancellationToken);
        _holder = eventData.Context;
        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Release(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) => Release(eventData.Context);

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Release(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) => Release(eventData.Context);

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Release(eventData.Context);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default) => Release(eventData.Context);

    public InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Release(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Release(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void Dispose() => _turn.Dispose();

    /// <summary>Gives the turn away if <paramref name="context"/> holds it; a second release of the same turn does nothing.</summary>
    private Task Release(DbContext? context)
    {
        if (context is not null && ReferenceEquals(Interlocked.CompareExchange(ref _holder, null, context), context))
        {
            _turn.Release();
        }

        return Task.CompletedTask;
    }
}
