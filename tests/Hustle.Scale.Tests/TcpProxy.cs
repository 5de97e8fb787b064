using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Hustle.Scale.Tests;

/// <summary>
/// A TCP pass-through to a server (here: PostgreSQL) that a test can cut and restore, to take the database away
/// from one app without stopping the server the other tests share. Cut drops every open connection (reset) and
/// turns new ones away at once, as a server that went down would.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _host;
    private readonly int _port;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Guid, (TcpClient Client, TcpClient Server)> _open = new();
    private readonly Task _accepting;
    private volatile bool _down;

    private TcpProxy(string host, int port)
    {
        _host = host;
        _port = port;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public static TcpProxy To(string host, int port) => new(host, port);

    public void Cut()
    {
        _down = true;
        foreach (var (id, pair) in _open)
        {
            Reset(pair.Client);
            Reset(pair.Server);
            _open.TryRemove(id, out _);
        }
    }

    public void Restore() => _down = false;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            if (_down)
            {
                Reset(client);
                continue;
            }

            _ = PipeAsync(client);
        }
    }

    private async Task PipeAsync(TcpClient client)
    {
        var server = new TcpClient();
        var id = Guid.NewGuid();
        try
        {
            await server.ConnectAsync(_host, _port, _stop.Token);
            _open[id] = (client, server);
            var up = client.GetStream().CopyToAsync(server.GetStream(), _stop.Token);
            var down = server.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
            await Task.WhenAny(up, down);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A cut or the end of the test: both sides are closed below.
        }
        finally
        {
            _open.TryRemove(id, out _);
            client.Dispose();
            server.Dispose();
        }
    }

    private static void Reset(TcpClient tcp)
    {
        try
        {
            // Close with RST, as a dead peer would. The pipe may be closing the same socket right now: then it is gone already.
            if (tcp.Client is { } socket)
            {
                socket.LingerState = new LingerOption(true, 0);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }

        tcp.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting;
        _stop.Dispose();
    }
}
