using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace Hustle.Web.Tests.Data;

/// <summary>
/// Every statement SQLite itself runs on one database file, whoever sent it (EF, a raw ADO.NET command, an
/// interceptor's PRAGMA, BEGIN and COMMIT): SQLite's trace hook, set on each physical connection to that file the
/// first time EF opens it. What a step costs in statements is read here, not inferred from EF's own logging.
/// </summary>
public sealed class SqliteStatementLog : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly string _file;
    private readonly ConditionalWeakTable<sqlite3, object> _traced = [];
    private readonly ConcurrentQueue<string> _statements = new();
    private readonly strdelegate_trace _onStatement;
    private readonly List<IDisposable> _subscriptions = [];

    public SqliteStatementLog(string file)
    {
        _file = Path.GetFullPath(file);
        _onStatement = (_, sql) => _statements.Enqueue(sql);
        _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
    }

    /// <summary>The statements run since the last call, each shortened to its verb and table (<c>UPDATE "Jobs"</c>).</summary>
    public IReadOnlyList<string> Take()
    {
        var taken = new List<string>();
        while (_statements.TryDequeue(out var sql))
        {
            taken.Add(Shape(sql));
        }

        return taken;
    }

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == DbLoggerCategory.Name)
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(value.Subscribe(this, name => name == RelationalEventId.ConnectionOpened.Name));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Value is ConnectionEndEventData { Connection: SqliteConnection { Handle: { } handle } connection }
            && Path.GetFullPath(connection.DataSource) == _file
            && _traced.TryAdd(handle, handle))
        {
            raw.sqlite3_trace(handle, _onStatement, null);
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        lock (_subscriptions)
        {
            _subscriptions.ForEach(s => s.Dispose());
        }
    }

    /// <summary><c>SELECT "Jobs"</c>, <c>INSERT "FeedEvents"</c>, <c>BEGIN</c>: what a statement does, without its values.</summary>
    private static string Shape(string sql)
    {
        var words = sql.Split([' ', '\n', '\r', '\t', ';'], StringSplitOptions.RemoveEmptyEntries);
        var verb = words[0].ToUpperInvariant();
        var table = verb switch
        {
            "SELECT" => words.Where((_, i) => i > 0 && words[i - 1].Equals("FROM", StringComparison.OrdinalIgnoreCase)).FirstOrDefault(w => w.StartsWith('"')),
            "INSERT" => words.ElementAtOrDefault(2),
            "UPDATE" => words.ElementAtOrDefault(1),
            "PRAGMA" => words.ElementAtOrDefault(1),
            _ => null,
        };
        return table is null ? verb : $"{verb} {table}";
    }
}
