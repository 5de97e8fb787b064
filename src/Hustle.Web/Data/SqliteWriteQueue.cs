using System.Collections.Concurrent;
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
/// <para>
/// Writes outside a transaction take their turn too: a statement run on its own (<c>ExecuteUpdate</c>,
/// <c>ExecuteDelete</c>, raw SQL) holds the turn while it runs, and <see cref="SqliteHustleDb"/> makes even a
/// one-statement <c>SaveChanges</c> open a transaction. Before, those went straight to SQLite, met the lock of the
/// queued writers and slept in 150 ms steps until a gap opened; with 64 writers queued there was rarely one, and some
/// requests waited over a minute while the median waited two seconds (docs/BENCHMARKS.md, "The second bottleneck").
/// </para>
/// <para>
/// Most changes no longer commit here one by one: they take a seat in a batch of <see cref="SqliteGroupCommit"/>, whose
/// writer holds the turn from <c>BEGIN</c> to <c>COMMIT</c> of each batch like any other transaction.
/// </para>
/// </summary>
public sealed class SqliteWriteQueue : IDbTransactionInterceptor, IDbConnectionInterceptor, IDbCommandInterceptor, IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly ConcurrentDictionary<Guid, DbContext> _statementTurns = new();
    private DbContext? _holder;

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        if (NeedsOwnTurn(command, eventData))
        {
            _turn.Wait();
            Hold(eventData);
        }

        return result;
    }

    public async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (NeedsOwnTurn(command, eventData))
        {
            await _turn.WaitAsync(cancellationToken);
            Hold(eventData);
        }

        return result;
    }

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        EndStatement(eventData.CommandId);
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        EndStatement(eventData.CommandId);
        return ValueTask.FromResult(result);
    }

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => EndStatement(eventData.CommandId);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        EndStatement(eventData.CommandId);
        return Task.CompletedTask;
    }

    public void CommandCanceled(DbCommand command, CommandEndEventData eventData) => EndStatement(eventData.CommandId);

    public Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        EndStatement(eventData.CommandId);
        return Task.CompletedTask;
    }

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

    /// <summary>A statement of its own, not part of a transaction whose turn its context already holds.</summary>
    private bool NeedsOwnTurn(DbCommand command, CommandEventData eventData) =>
        command.Transaction is null && eventData.Context is { } context && !ReferenceEquals(Volatile.Read(ref _holder), context);

    private void Hold(CommandEventData eventData)
    {
        _holder = eventData.Context;
        _statementTurns[eventData.CommandId] = eventData.Context!;
    }

    private void EndStatement(Guid commandId)
    {
        if (_statementTurns.TryRemove(commandId, out var context))
        {
            Release(context);
        }
    }

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
