using Hustle.Domain;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Hustle.Client;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Hustle.LoadTest;

/// <summary>The first arrival of one feed event at one user: by push, or by a feed fetch (catch-up, gap fill, poll).</summary>
public sealed record Delivery(string EventId, string? JobId, string Type, DateTimeOffset At, long ArrivedAt, bool ByPush);

/// <summary>What the seed's full-list poll showed: this job at this version, first seen then.</summary>
public sealed record Sighting(string JobId, int Version, long SeenAt);

/// <summary>The end-of-run comparison of what a user got with their whole feed.</summary>
public sealed record FeedCheck(int InFeed, int Missing, int Unknown, int AppliedTwice, int NotByPush, bool ResetRequired);

/// <summary>
/// One simulated person: an <see cref="HttpClient"/> with their token over the bench's one shared handler, a
/// <see cref="FeedFollower"/> that applies their feed exactly once, and either a hub connection or a poller.
/// </summary>
public sealed class BenchUser
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<string, Delivery> _deliveries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pushed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _seenVersions = new(StringComparer.Ordinal);
    private readonly List<Sighting> _sightings = [];

    public BenchUser(SeededUser account, HttpMessageHandler shared, Uri baseAddress)
    {
        Account = account;
        Http = new HttpClient(shared, disposeHandler: false) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(100) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", account.Token);
        Follower = new FeedFollower(Http);
        Follower.Applied += OnApplied;
    }

    public SeededUser Account { get; }

    public HttpClient Http { get; }

    public FeedFollower Follower { get; }

    public HubConnection? Connection { get; private set; }

    /// <summary>The feed seq the user had caught up to when connected: later events should all arrive by push.</summary>
    public long SeqAtConnect { get; private set; }

    public int DuplicatePushes { get; private set; }

    public int Reconnects { get; private set; }

    public int Polls { get; private set; }

    public int PollErrors { get; private set; }

    public IReadOnlyCollection<Delivery> Deliveries
    {
        get
        {
            lock (_deliveries)
            {
                return [.. _deliveries.Values];
            }
        }
    }

    public IReadOnlyList<Sighting> Sightings
    {
        get
        {
            lock (_sightings)
            {
                return [.. _sightings];
            }
        }
    }

    /// <summary>Connects to <c>/hubs/sync</c> over exactly one transport, then catches up as every client does on connect.</summary>
    public async Task ConnectAsync(HttpTransportType transport, HttpMessageInvoker hub)
    {
        var token = Account.Token;
        Connection = new HubConnectionBuilder()
            .WithUrl(new Uri(Http.BaseAddress!, "/hubs/sync"), o =>
            {
                o.Transports = transport;
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                o.HttpMessageHandlerFactory = _ => new SharedHandler(hub);
                if (transport == HttpTransportType.WebSockets)
                {
                    o.SkipNegotiation = true;
                    o.WebSocketFactory = async (context, ct) =>
                    {
                        var socket = new ClientWebSocket();
                        socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
                        await socket.ConnectAsync(context.Uri, hub, ct);
                        return socket;
                    };
                }
            })
            .WithAutomaticReconnect()
            .Build();
        Connection.On<FeedEnvelope>("Event", OnPushAsync);
        Connection.Reconnected += async _ =>
        {
            Reconnects++;
            await Follower.CatchUpAsync();
        };
        await Connection.StartAsync();
        await Follower.CatchUpAsync();
        SeqAtConnect = Follower.LastSeq;
    }

    /// <summary>The design's polling client: <c>GET /api/feed?after=last</c> every <paramref name="interval"/>.</summary>
    public Task PollFeedAsync(TimeSpan interval, TimeSpan phase, CancellationToken ct) =>
        PollAsync(interval, phase, () => Follower.CatchUpAsync(ct), ct);

    /// <summary>The seed's polling client: the whole <c>GET /api/jobs/mine</c> list every <paramref name="interval"/>, no ETag.</summary>
    public Task PollMyJobsAsync(TimeSpan interval, TimeSpan phase, CancellationToken ct) =>
        PollAsync(interval, phase, () => ReadMyJobsAsync(ct), ct);

    public async Task ReadMyJobsAsync(CancellationToken ct)
    {
        using var response = await Http.GetAsync("/api/jobs/mine", ct);
        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync(ct);
        var seenAt = Stopwatch.GetTimestamp();
        using var json = JsonDocument.Parse(text);
        lock (_sightings)
        {
            foreach (var job in json.RootElement.GetProperty("jobs").EnumerateArray())
            {
                var id = job.GetProperty("id").GetString()!;
                var version = job.GetProperty("version").GetInt32();
                if (!_seenVersions.TryGetValue(id, out var seen) || version > seen)
                {
                    _seenVersions[id] = version;
                    _sightings.Add(new Sighting(id, version, seenAt));
                }
            }
        }
    }

    /// <summary>Applies what is left in the feed, then compares what arrived with the whole feed read from the start.</summary>
    public async Task<FeedCheck> CheckAsync()
    {
        await Follower.CatchUpAsync();
        var feed = new List<FeedEnvelope>();
        var reset = false;
        while (true)
        {
            var page = await Http.GetFromJsonAsync<FeedPage>($"/api/feed?after={(feed.Count > 0 ? feed[^1].Seq : 0)}&limit=500", Web)
                ?? throw new InvalidOperationException("The feed answered nothing.");
            reset |= page.ResetRequired;
            feed.AddRange(page.Events);
            if (page.Events.Count < 500)
            {
                break;
            }
        }

        var applied = Follower.AppliedEvents;
        var appliedIds = applied.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var feedIds = feed.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var deliveries = Deliveries.ToDictionary(d => d.EventId, StringComparer.Ordinal);
        return new FeedCheck(
            feed.Count,
            Missing: feed.Count(e => !appliedIds.Contains(e.Id)),
            Unknown: applied.Count(e => !feedIds.Contains(e.Id)),
            AppliedTwice: applied.Count - appliedIds.Count,
            NotByPush: feed.Count(e => e.Seq > SeqAtConnect && (!deliveries.TryGetValue(e.Id, out var d) || !d.ByPush)),
            reset || Follower.ResetRequired);
    }

    private async Task OnPushAsync(FeedEnvelope envelope)
    {
        var arrived = Stopwatch.GetTimestamp();
        lock (_deliveries)
        {
            if (!_pushed.Add(envelope.Id))
            {
                DuplicatePushes++;
            }

            _deliveries.TryAdd(envelope.Id, new Delivery(envelope.Id, envelope.JobId, envelope.Type, envelope.At, arrived, ByPush: true));
        }

        await Follower.OnPushAsync(envelope);
    }

    /// <summary>Events applied from a fetch (a pushed one was recorded on arrival, before it was applied).</summary>
    private void OnApplied(FeedEnvelope envelope)
    {
        var arrived = Stopwatch.GetTimestamp();
        lock (_deliveries)
        {
            _deliveries.TryAdd(envelope.Id, new Delivery(envelope.Id, envelope.JobId, envelope.Type, envelope.At, arrived, ByPush: false));
        }
    }

    private async Task PollAsync(TimeSpan interval, TimeSpan phase, Func<Task> poll, CancellationToken ct)
    {
        try
        {
            await Task.Delay(phase, ct);
            using var timer = new PeriodicTimer(interval);
            do
            {
                try
                {
                    await poll();
                    Polls++;
                }
                catch (HttpRequestException)
                {
                    PollErrors++;
                }
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Lends the bench's one handler to SignalR, which disposes the handler it is given with its connection.</summary>
    private sealed class SharedHandler(HttpMessageInvoker shared) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            shared.SendAsync(request, cancellationToken);
    }
}
