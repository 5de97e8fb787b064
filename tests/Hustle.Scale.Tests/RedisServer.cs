using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Hustle.Scale.Tests;

/// <summary>
/// A Redis server of the test's own (the binary test.sh names in HUSTLE_TEST_REDIS_SERVER), on a free port, in
/// the foreground as a child process, so a test can stop and restart it without disturbing the shared one.
/// It is stopped by its own process id; a restart uses the same port.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    public const string ServerVariable = "HUSTLE_TEST_REDIS_SERVER";
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(20);

    private Process? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public bool Running => _process is { HasExited: false };

    /// <summary>A free port and a server not yet started (so a node can be configured for it first).</summary>
    public static RedisServer OnFreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new RedisServer(port);
    }

    /// <summary>Starts the server and returns once it accepts connections.</summary>
    public async Task StartAsync()
    {
        if (Running)
        {
            throw new InvalidOperationException("Redis is already running.");
        }

        var binary = Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } b ? b : "redis-server";
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "notice" })
        {
            info.ArgumentList.Add(arg);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            log.Enqueue(e.Data);
            if (e.Data.Contains("Ready to accept connections", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"redis-server exited at start: {string.Join('\n', log)}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await ready.Task.WaitAsync(StartPatience);
    }

    /// <summary>Kills the server (as a crash would) and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
