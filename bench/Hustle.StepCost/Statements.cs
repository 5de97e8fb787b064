using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace Hustle.StepCost;

/// <summary>The SQL statements the database ran, counted where it runs them, whoever sent them.</summary>
public interface IStatementCounter : IDisposable
{
    long Count { get; }

    /// <summary>Keeps the text of every statement from now until <see cref="StopRecording"/>.</summary>
    void StartRecording();

    IReadOnlyList<string> StopRecording();
}

/// <summary>
/// SQLite's own trace hook (<c>sqlite3_trace</c>) on every physical connection the app opens: it fires once for each
/// statement the engine starts, so EF's commands, raw ADO.NET commands and an interceptor's <c>PRAGMA</c> all count,
/// <c>BEGIN</c>, <c>SAVEPOINT</c> and <c>COMMIT</c> included. Connections are found through EF's diagnostic events.
/// </summary>
public sealed class SqliteStatements : IStatementCounter, IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
{
    private readonly ConditionalWeakTable<sqlite3, object> _traced = [];
    private readonly ConcurrentQueue<string> _recorded = new();
    private readonly strdelegate_trace _onStatement;
    private readonly List<IDisposable> _subscriptions = [];
    private long _count;
    private volatile bool _recording;

    public SqliteStatements()
    {
        _onStatement = (_, sql) =>
        {
            Interlocked.Increment(ref _count);
            if (_recording)
            {
                _recorded.Enqueue(sql);
            }
        };
        _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
    }

    public long Count => Interlocked.Read(ref _count);

    public void StartRecording()
    {
        _recorded.Clear();
        _recording = true;
    }

    public IReadOnlyList<string> StopRecording()
    {
        _recording = false;
        return [.. _recorded];
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
        if (value.Value is ConnectionEndEventData { Connection: SqliteConnection { Handle: { } handle } } && _traced.TryAdd(handle, handle))
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

/// <summary>
/// PostgreSQL's statement log (<c>log_statement=all</c> on the bench's own cluster): every statement the server runs
/// is one <c>LOG:  statement:</c> or <c>LOG:  execute …:</c> line, read as it is appended.
/// </summary>
public sealed partial class PostgresStatements(string logPath) : IStatementCounter
{
    private readonly List<string> _recorded = [];
    private long _offset = new FileInfo(logPath).Length;
    private long _count;
    private bool _recording;

    public long Count
    {
        get
        {
            ReadNewLines();
            return _count;
        }
    }

    public void StartRecording()
    {
        ReadNewLines();
        _recorded.Clear();
        _recording = true;
    }

    public IReadOnlyList<string> StopRecording()
    {
        ReadNewLines();
        _recording = false;
        return [.. _recorded];
    }

    public void Dispose()
    {
    }

    private void ReadNewLines()
    {
        using var file = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        file.Seek(_offset, SeekOrigin.Begin);
        var bytes = new byte[file.Length - _offset];
        file.ReadExactly(bytes);
        var text = Encoding.UTF8.GetString(bytes);
        var complete = text.LastIndexOf('\n') + 1;
        _offset += Encoding.UTF8.GetByteCount(text.AsSpan(0, complete));
        foreach (Match m in StatementLine().Matches(text[..complete]))
        {
            _count++;
            if (_recording)
            {
                _recorded.Add(m.Groups[1].Value);
            }
        }
    }

    [GeneratedRegex(@"LOG:  (?:statement|execute [^:]*): (.*)$", RegexOptions.Multiline)]
    private static partial Regex StatementLine();
}
