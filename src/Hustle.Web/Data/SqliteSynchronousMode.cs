using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Hustle.Web.Data;

/// <summary>
/// <c>Hustle:SqliteSynchronous=NORMAL</c>: SQLite's <c>PRAGMA synchronous</c> for every connection the app opens.
/// SQLite's default, FULL, syncs the write-ahead log to disk at every commit, so the disk's sync time caps the commit
/// rate (about 5.6 ms a sync on the benchmark machine: under 180 commits/s, docs/BENCHMARKS.md). NORMAL syncs only at
/// checkpoints: a crash of the process loses nothing, a power cut or kernel crash may lose the last commits (the
/// database stays intact). Only FULL and NORMAL are accepted.
/// </summary>
public sealed class SqliteSynchronousMode : DbConnectionInterceptor
{
    private readonly string _pragma;

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
        using var command = connection.CreateCommand();
        command.CommandText = _pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
