using System.Collections.Concurrent;

namespace Hustle.Web.Tests.Data;

/// <summary>
/// Every statement SQLite itself runs on one database file, whoever sent it (EF, a raw ADO.NET command, an
/// interceptor's PRAGMA, BEGIN and COMMIT): SQLite's trace hook, set on each physical connection to that file the
/// first time EF opens it. What a step costs in statements is read here, not inferred from EF's own logging.
/// </summary>
public sealed class SqliteStatementLog : IDisposable
{
    private readonly ConcurrentQueue<string> _statements = new();
    private readonly SqliteTrace _trace;

    public SqliteStatementLog(string file)
    {
        var path = Path.GetFullPath(file);
        _trace = new SqliteTrace(connection => Path.GetFullPath(connection.DataSource) == path, _statements.Enqueue);
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

    public void Dispose() => _trace.Dispose();

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
