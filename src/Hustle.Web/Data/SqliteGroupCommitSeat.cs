using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Data;

/// <summary>
/// One change's place in a batch of <see cref="SqliteGroupCommit"/>. Its request waits in the queue until the writer
/// gives it the turn inside the batch's transaction, just after a savepoint; it then runs its reads and writes with its
/// own context moved onto the writer's connection and transaction, and hands the turn back by committing (its writes
/// stay in the batch) or by being disposed (the writer rolls back to the savepoint). Either way the request hears the
/// outcome only once the whole batch committed or failed: a success is then durable, and a failure (a lost race) is
/// reported only when the change it lost to can be read by everyone.
/// </summary>
internal sealed class SqliteGroupCommitSeat(HustleDb db) : IWriteTransaction
{
    private const int Queued = 0;
    private const int Taken = 1;
    private const int Cancelled = 2;

    // Completed by the writer without a thread switch: the request usually runs its change right there, on the writer's thread.
    private readonly TaskCompletionSource<DbTransaction> _turn = new();
    private readonly TaskCompletionSource<bool> _handedBack = new();
    private readonly TaskCompletionSource _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;
    private bool _attached;
    private string? _connectionString;
    private bool _autoSavepoints;
    private Action? _afterCommit;
    private ExecutionContext? _afterCommitContext;

    /// <summary>Waits for the turn and moves the context onto the batch's transaction. Cancelled while queued, the change never runs.</summary>
    internal async Task TakeTurnAsync(CancellationToken ct)
    {
        DbTransaction transaction;
        using (ct.Register(static (seat, token) => ((SqliteGroupCommitSeat)seat!).Cancel(token), this))
        {
            transaction = await _turn.Task.ConfigureAwait(false);
        }

        try
        {
            Attach(transaction);
        }
        catch
        {
            _handedBack.SetResult(false);
            throw;
        }
    }

    /// <summary>The writer claims the seat for its batch; false when the request gave up while it waited.</summary>
    internal bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

    /// <summary>Gives the request its turn and waits until it hands it back; true when its change succeeded.</summary>
    internal bool Run(DbTransaction transaction)
    {
        _turn.SetResult(transaction);
        return _handedBack.Task.GetAwaiter().GetResult();
    }

    /// <summary>
    /// The batch is over: committed (<paramref name="batchFailure"/> null) or not. A committed change runs its after-commit
    /// action now; the batches' seats are finished one by one in commit order.
    /// </summary>
    internal void Finish(Exception? batchFailure)
    {
        if (!_turn.Task.IsCompleted)
        {
            // The batch failed before this change had its turn.
            _turn.TrySetException(new SqliteBatchFailedException(batchFailure));
            return;
        }

        if (batchFailure is not null)
        {
            _outcome.TrySetException(new SqliteBatchFailedException(batchFailure));
            return;
        }

        try
        {
            RunAfterCommit();
            _outcome.TrySetResult();
        }
        catch (Exception e)
        {
            _outcome.TrySetException(e);
        }
    }

    public async Task CommitAsync(Action? afterCommit = null)
    {
        _afterCommit = afterCommit;
        _afterCommitContext = afterCommit is null ? null : ExecutionContext.Capture();
        HandBack(succeeded: true);
        await _outcome.Task;
    }

    /// <summary>Without a commit, the writer rolls the change back; this waits for the batch anyway (see the class summary).</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_attached)
        {
            return;
        }

        HandBack(succeeded: false);
        try
        {
            await _outcome.Task;
        }
        catch (SqliteBatchFailedException)
        {
            // Nothing of this change is saved either way; the caller's own exception is the one to report.
        }
    }

    private void Cancel(CancellationToken token)
    {
        if (Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued)
        {
            _turn.TrySetCanceled(token);
        }
    }

    private void HandBack(bool succeeded)
    {
        Detach();
        _handedBack.SetResult(succeeded);
    }

    private void RunAfterCommit()
    {
        if (_afterCommit is not { } action || !_handedBack.Task.Result)
        {
            return;
        }

        if (_afterCommitContext is null)
        {
            action();
            return;
        }

        ExecutionContext.Run(_afterCommitContext, static state => ((Action)state!)(), action);
    }

    private void Attach(DbTransaction transaction)
    {
        var database = db.Database;
        _connectionString = database.GetConnectionString();
        _autoSavepoints = database.AutoSavepointsEnabled;
        database.SetDbConnection(transaction.Connection, contextOwnsConnection: false);
        database.UseTransaction(transaction);
        // The seat's savepoint is the change's own: EF's, around each SaveChanges inside it, would only add statements.
        database.AutoSavepointsEnabled = false;
        _attached = true;
    }

    /// <summary>Back on a connection of its own (from the pool, at its next query), so the context lives on after its change.</summary>
    private void Detach()
    {
        var database = db.Database;
        database.UseTransaction(null);
        // Balances the open of UseTransaction; the writer's connection stays open, as EF did not open it.
        database.CloseConnection();
        database.SetDbConnection(null, contextOwnsConnection: true);
        database.SetConnectionString(_connectionString);
        database.AutoSavepointsEnabled = _autoSavepoints;
        _attached = false;
    }
}

/// <summary>The batch a change was written in did not commit (or failed before its turn): nothing of the change was saved.</summary>
public sealed class SqliteBatchFailedException(Exception? cause)
    : Exception("The batch this change was written in did not commit; nothing of it was saved.", cause);
