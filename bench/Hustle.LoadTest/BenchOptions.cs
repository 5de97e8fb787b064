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
          --warmup J            jobs run through their whole life before measuring, to warm the JIT (default 20)
          --max-in-flight M     transitions awaiting answers beyond which ticks are skipped and counted: the node is behind (default 1000)
          --sqlite-synchronous S  the node's Hustle:SqliteSynchronous, FULL (SQLite's default) or NORMAL
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
            (int)Number("warmup", 20),
            (int)Number("max-in-flight", 1000),
            values.Remove("sqlite-synchronous", out var synchronous) ? synchronous : null,
            values.Remove("results", out var results) ? results : null,
            Text("label", ""));
        if (values.Count > 0)
        {
            throw new ArgumentException($"Unknown option --{values.Keys.First()}.");
        }

        if (users < 2 || users % 2 != 0)
        {
            throw new ArgumentException("--users must be an even number, 2 or more (customers and hustlers in pairs).");
        }

        return options;
    }

    public string ModeName => Mode switch
    {
        SyncMode.Push => $"push/{Transport}",
        SyncMode.Poll => $"poll {PollInterval.TotalSeconds:0}s",
        _ => $"poll-seed {PollInterval.TotalSeconds:0}s",
    };
}
