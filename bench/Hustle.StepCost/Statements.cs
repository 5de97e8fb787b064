using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Hustle.Web.Tests.Data;

namespace Hustle.StepCost;

/// <summary>The SQL statements the database ran, counted where it runs them, whoever sent them.</summary>
public interface IStatementCounter : IDisposable
{
    long Count { get; }

    /// <summary>Keeps the text of every statement from now until <see cref="StopRecording"/>.</summary>
    void StartRecording();

    IReadOnlyList<string> StopRecording();
}

/// <summary>Every statement SQLite runs on any connection the app opens (<see cref="SqliteTrace"/>), counted and recorded on demand.</summary>
public sealed class SqliteStatements : IStatementCounter
{
    private readonly ConcurrentQueue<string> _recorded = new();
    private readonly SqliteTrace _trace;
    private long _count;
    private volatile bool _recording;

    public SqliteStatements() => _trace = new SqliteTrace(_ => true, sql =>
    {
        Interlocked.Increment(ref _count);
        if (_recording)
        {
            _recorded.Enqueue(sql);
        }
    });

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

    public void Dispose() => _trace.Dispose();
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
