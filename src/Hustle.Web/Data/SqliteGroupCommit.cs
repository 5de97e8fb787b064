using System.Collections.Concurrent;
using System.Data;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Hustle.Web.Data;

/// <summary>
/// Group commit for SQLite (<c>Hustle:SqliteGroupCommit</c>, on by default): the changes written at the same moment
/// share one transaction and one disk sync.
/// <para>
/// With <c>synchronous=FULL</c> every answered change survives a power cut, but each commit waits for a disk sync (5.6 ms
/// on the benchmark machine: under 180 commits/s), and one step of a job is one to four commits. Here one writer, on a
/// connection of its own, takes the changes queued by concurrent requests as a batch: <c>BEGIN IMMEDIATE</c>, then for
/// each change a savepoint, the change's own reads and writes (its request's context moved onto this connection and
/// transaction: <see cref="SqliteGroupCommitSeat"/>), and <c>RELEASE</c>, or <c>ROLLBACK TO</c> when the change failed
/// (a refusal, a lost race): it changes nothing and fails no other. One <c>COMMIT</c> ends the batch; if that fails,
/// every change of it fails and none is applied. Only then does each request hear its outcome, in commit order, and
/// push what it committed. A lone change commits at once: the writer never waits for company, the batch is simply
/// what queued while the previous one committed, up to <see cref="MaxBatch"/>.
/// </para>
/// <para>
/// A batch holds the turn of <see cref="SqliteWriteQueue"/> from <c>BEGIN</c> to <c>COMMIT</c>, so the writers that
/// still commit on their own (statements outside a transaction, explicit transactions, the sweeps) stay serialized
/// with it. Reads outside a change stay on the pool's connections and see only committed batches; the version checks
/// catch a stale read as a conflict (409) of that change alone.
/// </para>
/// </summary>
public sealed class SqliteGroupCommit : IWriteTransactions, IDisposable
{
    public const string MeterName = "Hustle.Sqlite";

    /// <summary>The most changes in one batch: bounds how long its first change waits for its last.</summary>
    public const int MaxBatch = 32;

    private const string Savepoint = "change";

    private readonly IDbContextFactory<SqliteHustleDb> _contexts;
    private readonly ILogger<SqliteGroupCommit> _log;
    private readonly BlockingCollection<SqliteGroupCommitSeat> _queue = new(new ConcurrentQueue<SqliteGroupCommitSeat>());
    private readonly Thread _writer;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _commitTime;
    private readonly Histogram<double> _changeTime;
    private readonly UpDownCounter<int> _waiting;
    private int _started;
    private SqliteHustleDb? _connection;
    private Task _finishing = Task.CompletedTask;

    public SqliteGroupCommit(IDbContextFactory<SqliteHustleDb> contexts, IMeterFactory meters, ILogger<SqliteGroupCommit> log)
    {
        _contexts = contexts;
        _log = log;
        // Its own thread: a COMMIT blocks for the disk sync, and the thread pool has better things to do meanwhile.
        _writer = new Thread(Write) { IsBackground = true, Name = "SQLite group commit" };
        var meter = meters.Create(MeterName);
        _batchSize = meter.CreateHistogram<int>("hustle.sqlite.batch_size", "{change}", "Changes written in one SQLite transaction and committed with one sync, failed ones included.");
        _commitTime = meter.CreateHistogram<double>("hustle.sqlite.commit_time", "ms", "COMMIT of a batch: the log write and, with synchronous=FULL, the disk sync.");
        _changeTime = meter.CreateHistogram<double>("hustle.sqlite.change_time", "ms", "How long one change held the writer, from its turn to handing it back.");
        _waiting = meter.CreateUpDownCounter<int>("hustle.sqlite.changes_waiting", "{change}", "Changes queued for a batch.");
    }

    /// <summary>Whether <paramref name="db"/> can take a seat: no transaction or open connection of its own.</summary>
    public static bool CanSeat(HustleDb db) => db.Database.CurrentTransaction is null && db.Database.GetDbConnection().State == ConnectionState.Closed;

    /// <summary>
    /// Queues the change of <paramref name="db"/> and returns once it has its turn in a batch. SQLite's transactions are
    /// serializable whatever <paramref name="isolation"/> says.
    /// </summary>
    public async Task<IWriteTransaction> BeginAsync(HustleDb db, IsolationLevel isolation, CancellationToken ct)
    {
        if (!CanSeat(db))
        {
            throw new InvalidOperationException("A change takes a seat in a batch from a context without a transaction or an open connection of its own.");
        }

        ct.ThrowIfCancellationRequested();
        var seat = new SqliteGroupCommitSeat(db);
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _writer.Start();
        }

        _waiting.Add(1);
        _queue.Add(seat, CancellationToken.None);
        await seat.TakeTurnAsync(ct);
        return seat;
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        if (Volatile.Read(ref _started) == 1 && !_writer.Join(TimeSpan.FromSeconds(30)))
        {
            _log.LogWarning("The SQLite group commit writer did not finish its batches within 30 s of shutdown.");
        }
    }

    private void Write()
    {
        foreach (var first in _queue.GetConsumingEnumerable())
        {
            _waiting.Add(-1);
            if (first.TryTake())
            {
                WriteBatch(first);
            }
        }

        Forget();
    }

    private void WriteBatch(SqliteGroupCommitSeat first)
    {
        List<SqliteGroupCommitSeat> seats = [first];
        Exception? failure = null;
        IDbContextTransaction? transaction = null;
        try
        {
            // Waits for the turn of SqliteWriteQueue: a writer committing on its own may hold it.
            transaction = Connection().Database.BeginTransaction();
            var seat = first;
            while (true)
            {
                transaction.CreateSavepoint(Savepoint);
                var turn = Stopwatch.GetTimestamp();
                var succeeded = seat.Run(transaction.GetDbTransaction());
                _changeTime.Record(Stopwatch.GetElapsedTime(turn).TotalMilliseconds);
                if (!succeeded)
                {
                    transaction.RollbackToSavepoint(Savepoint);
                }

                transaction.ReleaseSavepoint(Savepoint);
                if (seats.Count == MaxBatch || Next() is not { } next)
                {
                    break;
                }

                seats.Add(next);
                seat = next;
            }

            var committing = Stopwatch.GetTimestamp();
            transaction.Commit();
            _commitTime.Record(Stopwatch.GetElapsedTime(committing).TotalMilliseconds);
        }
        catch (Exception e)
        {
            failure = e;
            _log.LogError(e, "A batch of {Count} SQLite changes did not commit; none of them was saved.", seats.Count);
            Abandon(transaction);
            transaction = null;
        }

        transaction?.Dispose();
        _batchSize.Record(seats.Count);
        _finishing = _finishing.ContinueWith(
            static (_, state) => ((Batch)state!).Finish(), new Batch(seats, failure), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>The next queued change that still wants its turn, if any.</summary>
    private SqliteGroupCommitSeat? Next()
    {
        while (_queue.TryTake(out var seat))
        {
            _waiting.Add(-1);
            if (seat.TryTake())
            {
                return seat;
            }
        }

        return null;
    }

    /// <summary>The writer's context, holding its connection open from one batch to the next.</summary>
    private SqliteHustleDb Connection()
    {
        if (_connection is null)
        {
            var context = _contexts.CreateDbContext();
            context.Database.OpenConnection();
            _connection = context;
        }

        return _connection;
    }

    /// <summary>After a failed batch: rolled back if SQLite has not done so, and a fresh connection for the next.</summary>
    private void Abandon(IDbContextTransaction? transaction)
    {
        try
        {
            transaction?.Rollback();
        }
        catch (Exception e)
        {
            _log.LogDebug(e, "Rolling back the failed batch failed too; closing its connection rolls it back.");
        }

        transaction?.Dispose();
        Forget();
    }

    private void Forget()
    {
        try
        {
            _connection?.Dispose();
        }
        catch (ObjectDisposedException)
        {
            // Shutting down: the context's services went first.
        }

        _connection = null;
    }

    /// <summary>A batch's seats, told their outcome one by one in commit order, off the writer's thread.</summary>
    private sealed record Batch(List<SqliteGroupCommitSeat> Seats, Exception? Failure)
    {
        public void Finish() => Seats.ForEach(seat => seat.Finish(Failure));
    }
}
