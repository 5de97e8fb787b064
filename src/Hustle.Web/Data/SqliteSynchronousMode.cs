using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Hustle.Web.Data;

/// <summary>
/// <c>Hustle:SqliteSynchronous=NORMAL</c>: SQLite's <c>PRAGMA synchronous</c> for every connection the app opens.
/// SQLite's default, FULL, syncs the write-ahead log to disk at every commit, so the disk's sync time caps the commit
/// rate (about 5.6 ms a sync on the benchmark machine: under 180 commits/s, docs/BENCHMARKS.md). NORMAL syncs only at
/// checkpoints: a crash of the process loses nothing, a power cut or kernel crash may lose the last commits (the
/// database stays intact). Only FULL and NORMAL are accepted.
/// <para>
/// The mode belongs to the physical connection and stays with it in the pool, so it is set once per SQLite handle:
/// EF opens and closes its connection around every query outside a transaction, and a PRAGMA at each of those opens
/// was a third of a step's statements (docs/BENCHMARKS.md, "A step's cost").
/// </para>
/// </summary>
public sealed class SqliteSynchronousMode : DbConnectionInterceptor
{
    private readonly string _pragma;
    private readonly ConditionalWeakTable<object, object> _set = [];

    public SqliteSynchronousMode(string mode)
    {
        if (mode is not ("FULL" or "NORMAL"))
        {
            throw new ArgumentException($"Hustle:SqliteSynchronous is FULL or NORMAL, not '{mode}'.", nameof(mode));
        }

        _pragma = $"PRAGMA synchronous={mode};";
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (!IsSet(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = _pragma;
            command.ExecuteNonQuery();
            MarkSet(connection);
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (!IsSet(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = _pragma;
            await command.ExecuteNonQueryAsync(cancellationToken);
            MarkSet(connection);
        }
    }

    // A handle serves one open connection at a time, so nothing races between the check and the mark.
    private bool IsSet(DbConnection connection) => connection is SqliteConnection { Handle: { } handle } && _set.TryGetValue(handle, out _);

    private void MarkSet(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            _set.AddOrUpdate(handle, handle);
        }
    }
}
