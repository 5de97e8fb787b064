using Hustle.Domain;
using System.Collections.Concurrent;
using System.Threading.Channels;
using Hustle.Domain.Jobs;
using Hustle.Web.Sync;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Hustle.Web.Tests.Sync;

/// <summary>
/// One hub connection of a user that keeps everything the server sends it (<c>event</c>, <c>typing</c>,
/// <c>presence</c>) in arrival order. Waits are bounded; nothing sleeps. To prove something did NOT arrive, a
/// test makes the user's own feed produce a sentinel and checks what came before it: the server writes to a
/// connection in order, so anything sent earlier is already there.
/// </summary>
public sealed class HubInbox : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Jobs posted as sentinels: they reach every device of their poster, and only the asking one cares.</summary>
    private static readonly ConcurrentDictionary<string, bool> SentinelJobs = new();

    private readonly Channel<object> _arrived = Channel.CreateUnbounded<object>();

    private HubInbox(TestUser user, HubConnection connection)
    {
        User = user;
        Connection = connection;
        connection.On<FeedEnvelope>(nameof(ISyncClient.Event), e => _arrived.Writer.TryWrite(e));
        connection.On<TypingSignal>(nameof(ISyncClient.Typing), s => _arrived.Writer.TryWrite(s));
        connection.On<PresenceSignal>(nameof(ISyncClient.Presence), s => _arrived.Writer.TryWrite(s));
    }

    public TestUser User { get; }

    public HubConnection Connection { get; }

    public static async Task<HubInbox> ConnectAsync(TestApp app, TestUser user, HttpTransportType transport = HttpTransportType.WebSockets)
    {
        var inbox = new HubInbox(user, app.Hub(user, transport));
        await inbox.Connection.StartAsync();
        return inbox;
    }

    /// <summary>The next thing that arrives, which must be a <typeparamref name="T"/> matching <paramref name="match"/>.</summary>
    public async Task<T> NextAsync<T>(Func<T, bool>? match = null)
    {
        using var timeout = new CancellationTokenSource(Patience);
        object next;
        try
        {
            next = await ReadAsync(awaitedSentinel: null, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{User.Email} waited {Patience.TotalSeconds} s for a {typeof(T).Name} and got nothing.");
        }

        Assert.True(next is T t && (match is null || match(t)), $"{User.Email} expected a matching {typeof(T).Name} but got {Describe(next)}.");
        return (T)next;
    }

    /// <summary>The next feed event pushed, which must be of <paramref name="type"/>.</summary>
    public Task<FeedEnvelope> NextEventAsync(string type) => NextAsync<FeedEnvelope>(e => e.Type == type);

    /// <summary>
    /// Makes the user post a job (its <c>JOB_CREATED</c> reaches each of their connections after everything sent
    /// before) and returns what arrived on this connection before that sentinel.
    /// </summary>
    public async Task<List<object>> EverythingBeforeSentinelAsync()
    {
        var jobId = (await User.PostFlatJobAsync(title: "Sentinel")).Str("id");
        SentinelJobs[jobId] = true;
        var before = new List<object>();
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var next = await ReadAsync(jobId, timeout.Token);
            if (next is FeedEnvelope { Type: EventTypes.JobCreated } e && e.JobId == jobId)
            {
                return before;
            }

            before.Add(next);
        }
    }

    /// <summary>Asserts nothing arrived on this connection before a fresh sentinel.</summary>
    public async Task AssertNothingArrivedAsync()
    {
        var before = await EverythingBeforeSentinelAsync();
        Assert.True(before.Count == 0, $"{User.Email} should have received nothing but got: {string.Join("; ", before.Select(Describe))}");
    }

    /// <summary>The next thing that arrived, passing over sentinels other devices of the same user asked for.</summary>
    private async Task<object> ReadAsync(string? awaitedSentinel, CancellationToken ct)
    {
        while (true)
        {
            var next = await _arrived.Reader.ReadAsync(ct);
            var othersSentinel = next is FeedEnvelope { Type: EventTypes.JobCreated, JobId: { } jobId }
                && jobId != awaitedSentinel && SentinelJobs.ContainsKey(jobId);
            if (!othersSentinel)
            {
                return next;
            }
        }
    }

    public static string Describe(object o) => o switch
    {
        FeedEnvelope e => $"event {e.Type} seq {e.Seq} {e.Data}",
        _ => o.ToString() ?? "null",
    };

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
