using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace Hustle.Web.Tests.Data;

/// <summary>
/// SQLite's own trace hook (<c>sqlite3_trace</c>) on every physical connection EF opens that the filter given
/// picks: it fires once for each statement the engine starts, whoever sent it (EF, a raw ADO.NET command, an
/// interceptor's <c>PRAGMA</c>), <c>BEGIN</c>, <c>SAVEPOINT</c> and <c>COMMIT</c> included. Connections are found
/// through EF's diagnostic events. Shared by the statement tests and <c>bench/Hustle.StepCost</c> (linked there).
/// </summary>
public sealed class SqliteTrace : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly Func<SqliteConnection, bool> _traces;
    private readonly ConditionalWeakTable<sqlite3, object> _traced = [];
    private readonly strdelegate_trace _onStatement; // kept here: SQLite holds only a native pointer to it
    private readonly List<IDisposable> _subscriptions = [];

    public SqliteTrace(Func<SqliteConnection, bool> traces, Action<string> onStatement)
    {
        _traces = traces;
        _onStatement = (_, sql) => onStatement(sql);
        _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
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
            && _traces(connection)
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
}
