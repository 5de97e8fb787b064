using Hustle.Domain;
using System.Threading.Channels;
using Hustle.Client;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Hustle.Web.Tests.Sync;

/// <summary>A user connected to the hub over one transport, with a <see cref="FeedFollower"/> applying what arrives.</summary>
public sealed class LiveUser : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly Channel<FeedEnvelope> _arrived = Channel.CreateUnbounded<FeedEnvelope>();

    private LiveUser(TestUser user, HubConnection connection)
    {
        User = user;
        Connection = connection;
        Follower = new FeedFollower(user.Client);
        Follower.Applied += e => _arrived.Writer.TryWrite(e);
        Follower.Attach(connection);
    }

    public TestUser User { get; }

    public HubConnection Connection { get; }

    public FeedFollower Follower { get; }

    public static async Task<LiveUser> ConnectAsync(TestApp app, TestUser user, HttpTransportType transport)
    {
        var live = new LiveUser(user, app.Hub(user, transport));
        await live.Connection.StartAsync();
        await live.Follower.CatchUpAsync();
        return live;
    }

    /// <summary>Waits for the next applied event, which must be of <paramref name="type"/>.</summary>
    public async Task<FeedEnvelope> NextAsync(string type)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var e = await _arrived.Reader.ReadAsync(timeout.Token);
        Assert.True(e.Type == type, $"{User.Email} expected {type} but got {e.Type} (seq {e.Seq}): {e.Data}");
        return e;
    }

    /// <summary>Asserts nothing else arrived: everything applied so far has been taken by <see cref="NextAsync"/>.</summary>
    public void AssertNothingMore()
    {
        Assert.False(_arrived.Reader.TryRead(out var extra), $"{User.Email} got an unexpected {extra?.Type}: {extra?.Data}");
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        await Follower.DisposeAsync();
    }
}
