using System.Globalization;
using Microsoft.AspNetCore.Http.Connections;

namespace Hustle.LoadTest;

/// <summary>How clients learn about changes: pushed over the hub, polling the feed, or the seed's full-list polling.</summary>
public enum SyncMode
{
    Push,
    Poll,
    PollSeed,
}

/// <summary>The command line. Every option is in <c>docs/BENCHMARKS.md</c>.</summary>
public sealed record BenchOptions(
    int Users,
    double Rate,
    TimeSpan Duration,
    HttpTransportType Transport,
    SyncMode Mode,
    TimeSpan PollInterval,
    TimeSpan IdleWindow,
    int WarmupJobs,
    int MaxInFlight,
    string? SqliteSynchronous,
    bool Postgres,
    string? PostgresConnection,
    string? PostgresSynchronousCommit,
    IReadOnlyList<string> NodeSettings,
    string? ResultsFile,
    string Label)
{
    public const string Usage =
        """
        dotnet run -c Release --project bench/Hustle.LoadTest -- [options]
          --users N             connected users, customers and hustlers in pairs (even; default 100)
          --rate R              lifecycle transitions per second, open loop (default 50)
          --duration D          seconds of driving transitions (default 30)
          --transport T         websockets | sse | longpolling (push mode; default websockets)
          --mode M              push | poll (GET /api/feed every --interval s) | poll-seed (GET /api/jobs/mine every --interval s)
          --interval I          polling interval in seconds (default 15 for poll, 30 for poll-seed)
          --idle S              seconds to measure the node's CPU with everyone connected and nothing happening (default 10)
          --warmup J            jobs run through their whole life (16 at once) before measuring, to warm the JIT (default 200);
                                then the bench waits until the node's JIT has settled (under 20 methods compiled in a second)
          --max-in-flight M     transitions awaiting answers beyond which ticks are skipped and counted: the node is behind (default 1000)
          --db D                sqlite (default: a fresh file) | postgres (a fresh database; see --postgres)
          --postgres CONN       with --db postgres: an existing server's Npgsql connection string (a superuser: the bench
                                creates and drops its database); without it the bench starts a durable PostgreSQL 15 of its own
          --sqlite-synchronous S  the node's Hustle:SqliteSynchronous, FULL (SQLite's default) or NORMAL
          --pg-synchronous-commit S  PostgreSQL's synchronous_commit for the node's sessions: on (the default) or off
          --node-settings S     more configuration for the node, KEY=VALUE pairs separated by ';'
                                (e.g. Hustle:RateLimits:ConcurrentWrites=16)
          --results FILE        append the result as one JSON line to FILE
          --label TEXT          a note stored with the result
        """;

    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected --option value, got '{args[i]}'.");
            }

            values[args[i][2..]] = args[i + 1];
        }

        string Text(string key, string fallback) => values.Remove(key, out var v) ? v : fallback;
        double Number(string key, double fallback) => double.Parse(Text(key, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

        var users = (int)Number("users", 100);
        var mode = Text("mode", "push") switch
        {
            "push" => SyncMode.Push,
            "poll" => SyncMode.Poll,
            "poll-seed" => SyncMode.PollSeed,
            var other => throw new ArgumentException($"--mode is push, poll or poll-seed, not '{other}'."),
        };
        var transport = Text("transport", "websockets") switch
        {
            "websockets" => HttpTransportType.WebSockets,
            "sse" => HttpTransportType.ServerSentEvents,
            "longpolling" => HttpTransportType.LongPolling,
            var other => throw new ArgumentException($"--transport is websockets, sse or longpolling, not '{other}'."),
        };
        var options = new BenchOptions(
            users,
            Number("rate", 50),
            TimeSpan.FromSeconds(Number("duration", 30)),
            transport,
            mode,
            TimeSpan.FromSeconds(Number("interval", mode == SyncMode.PollSeed ? 30 : 15)),
            TimeSpan.FromSeconds(Number("idle", 10)),
            (int)Number("warmup", 200),
            (int)Number("max-in-flight", 1000),
            values.Remove("sqlite-synchronous", out var synchronous) ? synchronous : null,
            Text("db", "sqlite") switch
            {
                "sqlite" => false,
                "postgres" => true,
                var other => throw new ArgumentException($"--db is sqlite or postgres, not '{other}'."),
            },
            values.Remove("postgres", out var postgres) ? postgres : null,
            values.Remove("pg-synchronous-commit", out var commit) ? commit : null,
            [.. Text("node-settings", "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            values.Remove("results", out var results) ? results : null,
            Text("label", ""));
        if (values.Count > 0)
        {
            throw new ArgumentException($"Unknown option --{values.Keys.First()}.");
        }

        if (!options.Postgres && (options.PostgresConnection ?? options.PostgresSynchronousCommit) is not null)
        {
            throw new ArgumentException("--postgres and --pg-synchronous-commit go with --db postgres.");
        }

        if (options.Postgres && options.SqliteSynchronous is not null)
        {
            throw new ArgumentException("--sqlite-synchronous goes with --db sqlite.");
        }

        if (options.NodeSettings.FirstOrDefault(setting => !setting.Contains('=', StringComparison.Ordinal)) is { } bad)
        {
            throw new ArgumentException($"--node-settings takes KEY=VALUE pairs, not '{bad}'.");
        }

        if (users < 2 || users % 2 != 0)
        {
            throw new ArgumentException("--users must be an even number, 2 or more (customers and hustlers in pairs).");
        }

        return options;
    }

    /// <summary>The database and its durability setting, as the results name it.</summary>
    public string Database => Postgres
        ? $"PostgreSQL synchronous_commit={PostgresSynchronousCommit ?? "on"}"
        : $"SQLite synchronous={SqliteSynchronous ?? "FULL"}";

    public string ModeName => Mode switch
    {
        SyncMode.Push => $"push/{Transport}",
        SyncMode.Poll => $"poll {PollInterval.TotalSeconds:0}s",
        _ => $"poll-seed {PollInterval.TotalSeconds:0}s",
    };
}
