using Hustle.Domain;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace Hustle.Client;

/// <summary>
/// Keeps one user's view of their feed exactly once and in order, the way every Hustle client must (docs/ARCHITECTURE.md, "The feed and the hub"):
/// a pushed event with <c>seq = last + 1</c> is applied; a larger one means a gap, filled from
/// <c>GET /api/feed?after=last</c>; a smaller one is a duplicate and dropped. <see cref="CatchUpAsync"/> is what
/// a client runs on (re)connect, on coming back online, and on every poll.
/// </summary>
public sealed class FeedFollower : IAsyncDisposable
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<FeedEnvelope> _applied = [];
    private IDisposable? _subscription;

    public FeedFollower(HttpClient http, long lastSeq = 0)
    {
        _http = http;
        LastSeq = lastSeq;
    }

    /// <summary>Raised for every event applied, in seq order, once.</summary>
    public event Action<FeedEnvelope>? Applied;

    /// <summary>The seq of the last event applied.</summary>
    public long LastSeq { get; private set; }

    /// <summary>Pushed events dropped because they were already applied.</summary>
    public int DuplicatesDropped { get; private set; }

    /// <summary>Times a pushed seq ran ahead of <see cref="LastSeq"/> + 1 and the feed was fetched to fill the gap.</summary>
    public int GapsDetected { get; private set; }

    /// <summary>Events that arrived by push (as opposed to a feed fetch).</summary>
    public int Pushed { get; private set; }

    /// <summary>True after the server answered <c>resetRequired</c>: the client must reload its jobs over REST.</summary>
    public bool ResetRequired { get; private set; }

    public IReadOnlyList<FeedEnvelope> AppliedEvents
    {
        get
        {
            lock (_applied)
            {
                return [.. _applied];
            }
        }
    }

    /// <summary>Feeds the pushes of <paramref name="connection"/> into this follower.</summary>
    public void Attach(HubConnection connection) =>
        _subscription = connection.On<FeedEnvelope>("Event", envelope => OnPushAsync(envelope));

    public async Task OnPushAsync(FeedEnvelope envelope)
    {
        await _gate.WaitAsync();
        try
        {
            if (envelope.Seq <= LastSeq)
            {
                DuplicatesDropped++;
                return;
            }

            if (envelope.Seq == LastSeq + 1)
            {
                Pushed++;
                Apply(envelope);
                return;
            }

            GapsDetected++;
            await FetchLockedAsync(CancellationToken.None);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Fetches and applies everything after <see cref="LastSeq"/>, page by page.</summary>
    public async Task CatchUpAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await FetchLockedAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task FetchLockedAsync(CancellationToken ct)
    {
        while (true)
        {
            var page = await _http.GetFromJsonAsync<FeedPage>($"/api/feed?after={LastSeq}&limit=500", JsonOptions, ct)
                ?? throw new InvalidOperationException("The feed answered nothing.");
            if (page.ResetRequired)
            {
                ResetRequired = true;
                return;
            }

            foreach (var envelope in page.Events.Where(e => e.Seq > LastSeq))
            {
                Apply(envelope);
            }

            if (page.Events.Count < 500)
            {
                return;
            }
        }
    }

    private void Apply(FeedEnvelope envelope)
    {
        LastSeq = envelope.Seq;
        lock (_applied)
        {
            _applied.Add(envelope);
        }

        Applied?.Invoke(envelope);
    }

    public ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }
}
