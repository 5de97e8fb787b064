using System.Net;
using System.Net.Sockets;
using Hustle.Bench;

namespace Hustle.StepCost;

/// <summary>
/// A PostgreSQL 15 cluster of the bench's own for <c>--db postgres</c>: <c>initdb</c> in a temporary folder owned by the
/// <c>postgres</c> user, started on a free loopback port with every statement logged (that log is what
/// <see cref="PostgresStatements"/> counts), stopped by <c>pg_ctl stop</c> and removed at the end. Durability is off
/// (<c>fsync=off</c>): the bench counts statements and allocations, not disk syncs.
/// </summary>
public sealed class BenchPostgres : IAsyncDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";

    private readonly string _folder;

    private BenchPostgres(string folder, int port)
    {
        _folder = folder;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=hustle_stepcost";
    }

    public string ConnectionString { get; }

    public string LogPath => Path.Combine(_folder, "postgres.log");

    public static async Task<BenchPostgres> StartAsync()
    {
        if (!File.Exists(Path.Combine(Bin, "initdb")))
        {
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({Bin}); ./test.sh or scripts/dev-services.sh start installs it.");
        }

        // The system temp folder: the postgres user cannot reach root's home.
        var folder = Path.Combine("/tmp", $"hustle-stepcost-pg-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        await Commands.RunAsync("chown", "postgres:", folder);
        var data = Path.Combine(folder, "data");
        await Commands.RunAsync("runuser", "-u", "postgres", "--", Path.Combine(Bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync");
        var port = FreePort();
        var server = new BenchPostgres(folder, port);
        await Commands.RunAsync(
            "runuser", "-u", "postgres", "--", Path.Combine(Bin, "pg_ctl"), "-D", data, "-l", server.LogPath, "-w", "-t", "60",
            "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off -c log_statement=all -c log_line_prefix=''", "start");
        await Commands.RunAsync("runuser", "-u", "postgres", "--", Path.Combine(Bin, "createdb"), "-h", "127.0.0.1", "-p", $"{port}", "hustle_stepcost");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await Commands.RunAsync("runuser", "-u", "postgres", "--", Path.Combine(Bin, "pg_ctl"), "-D", Path.Combine(_folder, "data"), "-m", "fast", "-w", "stop");
        Directory.Delete(_folder, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
