using System.Diagnostics;
using System.Globalization;
using Hustle.Bench;
using Npgsql;

namespace Hustle.LoadTest;

/// <summary>
/// The PostgreSQL the node runs against with <c>--db postgres</c>. By default a cluster of its own: PostgreSQL 15's
/// <c>initdb</c> in a temporary folder owned by the <c>postgres</c> user, started on a free loopback port with the
/// server's durable defaults (fsync, full-page writes and synchronous commit on, unlike the test suite's throwaway
/// cluster), and stopped by its postmaster's PID. With <c>--postgres CONN</c> an existing server instead; either way
/// the node gets a fresh database, dropped at the end.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";

    private readonly string? _folder;
    private readonly NpgsqlConnectionStringBuilder _admin;
    private readonly string _database = $"hustle_bench_{Environment.ProcessId}";
    private bool _stopped;

    private PostgresServer(string? folder, string adminConnection)
    {
        _folder = folder;
        _admin = new NpgsqlConnectionStringBuilder(adminConnection);
    }

    /// <summary>The postmaster's PID when the bench started it (its CPU is the database's, with its children's).</summary>
    public int? Pid { get; private set; }

    /// <summary>The node's connection string: the fresh database, and <paramref name="synchronousCommit"/> when given.</summary>
    public string NodeConnectionString(string? synchronousCommit) => new NpgsqlConnectionStringBuilder(_admin.ConnectionString)
    {
        Database = _database,
        Options = synchronousCommit is null ? null : $"-c synchronous_commit={synchronousCommit}",
        MaxPoolSize = 200,
    }.ConnectionString;

    public static async Task<PostgresServer> StartAsync(string? existing)
    {
        if (existing is not null)
        {
            var server = new PostgresServer(null, existing);
            await server.CreateDatabaseAsync();
            return server;
        }

        if (!File.Exists(Path.Combine(Bin, "initdb")))
        {
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({Bin}); ./test.sh or scripts/dev-services.sh start installs it, or give --postgres CONN.");
        }

        // The system temp folder: the postgres user cannot reach root's home.
        var folder = Path.Combine("/tmp", $"hustle-bench-pg-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        await Commands.RunAsync("chown", "postgres:", folder);
        await Commands.RunAsync("runuser", "-u", "postgres", "--", Path.Combine(Bin, "initdb"), "-D", Path.Combine(folder, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale");
        var port = Node.FreePort();
        await Commands.RunAsync(
            "runuser", "-u", "postgres", "--", Path.Combine(Bin, "pg_ctl"), "-D", Path.Combine(folder, "data"), "-l", Path.Combine(folder, "postgres.log"), "-w", "-t", "60",
            "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c max_connections=300 -c shared_buffers=256MB", "start");
        var started = new PostgresServer(folder, $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres");
        started.Pid = int.Parse((await File.ReadAllLinesAsync(Path.Combine(folder, "data", "postmaster.pid")))[0], CultureInfo.InvariantCulture);
        await started.CreateDatabaseAsync();
        return started;
    }

    /// <summary>CPU seconds of the postmaster and every backend it forked (all of the database's work).</summary>
    public double CpuSeconds()
    {
        if (Pid is not { } pid)
        {
            return 0;
        }

        var total = 0.0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var child) && (child == pid || ParentOf(child) == pid))
            {
                total += ProcessStats.CpuSecondsOf(child) ?? 0;
            }
        }

        return total;
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private async Task CreateDatabaseAsync()
    {
        await using var connection = new NpgsqlConnection(_admin.ConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE); CREATE DATABASE {_database}", connection);
        await create.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_folder is null)
        {
            await using var connection = new NpgsqlConnection(_admin.ConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
            return;
        }

        await Commands.RunAsync("runuser", "-u", "postgres", "--", Path.Combine(Bin, "pg_ctl"), "-D", Path.Combine(_folder, "data"), "-m", "fast", "-w", "stop");
        Directory.Delete(_folder, recursive: true);
        _stopped = true;
    }

    /// <summary>Stops the bench's own cluster at once (no checkpoint: it is thrown away), when the bench is interrupted.</summary>
    public void StopNow()
    {
        if (_folder is null || _stopped)
        {
            return;
        }

        _stopped = true;
        using var stop = Process.Start("runuser", ["-u", "postgres", "--", Path.Combine(Bin, "pg_ctl"), "-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"]);
        stop.WaitForExit();
        Directory.Delete(_folder, recursive: true);
    }
}
